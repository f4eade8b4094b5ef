import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/run.js";
import { project, wirefeed } from "./support.js";

const cwd = project();

describe("wirefeed: help and usage", () => {
  it("--help, -h and help list every command with its summary, exit 0", async () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const result = await wirefeed(args, { cwd });
      expect(result.code).toBe(0);
      expect(result.stderr).toEqual([]);
      const text = result.stdout.join("\n");
      expect(text).toMatch(/^Usage: wirefeed <command> \[options\]/);
      for (const command of COMMANDS) expect(text).toContain(`  ${command.name} ${command.synopsis}`);
      expect(text).toContain("0 ok, 1 problems found");
    }
  });

  it.each(COMMANDS.map((c) => c.name))("%s --help, -h and help %s: its usage, options and an example, exit 0", async (name) => {
    const command = COMMANDS.find((c) => c.name === name)!;
    for (const args of [[name, "--help"], [name, "-h"], ["help", name]]) {
      const result = await wirefeed(args, { cwd });
      expect(result).toEqual({ code: 0, stdout: [command.help], stderr: [] });
    }
    expect(command.help).toMatch(new RegExp(`^Usage: wirefeed ${name} `));
    expect(command.help).toContain("Example:\n  wirefeed " + name);
    expect(command.help).toContain("Exit status: 0");
    // Every option the parser accepts is documented.
    for (const option of Object.keys(command.options)) expect([option, command.help.includes(`--${option}`)]).toEqual([option, true]);
  });

  it("no command: the help on stderr, exit 2", async () => {
    const result = await wirefeed([], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.stderr.join("\n")).toMatch(/^Usage: wirefeed <command>/);
  });

  it("an unknown command, or help for one: exit 2 naming the commands", async () => {
    const expected = 'wirefeed: no command "publish"; commands: validate, new, import, build, db';
    expect(await wirefeed(["publish"], { cwd })).toEqual({ code: 2, stdout: [], stderr: [expected, 'Run "wirefeed --help" for usage.'] });
    expect(await wirefeed(["help", "publish"], { cwd })).toEqual({ code: 2, stdout: [], stderr: [expected] });
  });

  it.each(COMMANDS.map((c) => c.name))("%s: an unknown option or a missing value is a usage error, exit 2", async (name) => {
    expect(await wirefeed([name, "--bogus"], { cwd })).toEqual({
      code: 2,
      stdout: [],
      stderr: [`wirefeed ${name}: unknown option --bogus (to pass a value that starts with "-", put it after "--")`, `Run "wirefeed ${name} --help" for usage.`],
    });
    const result = await wirefeed([name, "--config"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr[0]).toBe(`wirefeed ${name}: option --config needs a value`);
  });

  it("a value starting with a dash after a space is refused with the --option=value form to use", async () => {
    const refused = await wirefeed(["new", "T", "--body", "- a list item", "--dir", "items"], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr[0]).toBe('wirefeed new: option --body got a value starting with "-"; write it as --body=<value> if that is meant');
    const accepted = await wirefeed(["new", "T", "--body=- a list item"], { cwd });
    expect(accepted).toMatchObject({ code: 0, stdout: ["items/t.md"] });
  });
});
