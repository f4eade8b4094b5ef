/**
 * The site stylesheet (/style.css), the only style a page loads (the CSP
 * allows no inline style). System fonts only, chosen per script through
 * :lang(): nothing is fetched from anyone. Logical properties (inline/block)
 * throughout, so right-to-left text mirrors without its own rules. Light and
 * dark follow the reader's system (prefers-color-scheme).
 */
export const STYLESHEET = `:root{color-scheme:light dark;
--bg:#fbfaf7;--fg:#1c1b19;--muted:#5e5a53;--rule:#dcd7cc;--panel:#f2efe8;--accent:#a4161a;--link:#0d4f9c;--visited:#5b3d8f;
--serif:"Iowan Old Style","Palatino Linotype",Palatino,Georgia,"Noto Serif","DejaVu Serif",serif;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;
--mono:ui-monospace,"SF Mono",Menlo,Consolas,"DejaVu Sans Mono",monospace;
--leading:1.6}
@media (prefers-color-scheme:dark){:root{--bg:#151412;--fg:#ebe7df;--muted:#a9a398;--rule:#3b3833;--panel:#201f1c;--accent:#ff7a6e;--link:#8dbcff;--visited:#c7a8ff}}
:lang(ar){--serif:"Noto Naskh Arabic","Geeza Pro","Arabic Typesetting","Traditional Arabic","Times New Roman",serif;
--sans:"Noto Sans Arabic","SF Arabic","Segoe UI","Geeza Pro",Tahoma,sans-serif;--leading:1.9}
:lang(ja){--serif:"Hiragino Mincho ProN","Yu Mincho",YuMincho,"Noto Serif CJK JP","Noto Serif JP",serif;
--sans:"Hiragino Sans","Hiragino Kaku Gothic ProN","Yu Gothic UI","Yu Gothic",Meiryo,"Noto Sans CJK JP","Noto Sans JP",sans-serif;--leading:1.85}
*,*::before,*::after{box-sizing:border-box}
html{background:var(--bg);color:var(--fg);-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1.0625rem/var(--leading) var(--serif)}
[lang]{font-family:var(--serif);line-height:var(--leading)}
:lang(ja){line-break:strict;overflow-wrap:anywhere}
.story[lang|="ar"] .body{font-size:1.25rem}li[lang|="ar"] .summary{font-size:1.1em}
:lang(ar) em,:lang(ja) em,:lang(ar) i,:lang(ja) i{font-style:normal;font-weight:700}
a{color:var(--link);text-underline-offset:.15em}a:visited{color:var(--visited)}
a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.masthead{border-block-end:3px double var(--fg);background:var(--bg)}
.masthead .bar{max-width:68rem;margin:0 auto;padding:.9rem 1.25rem .7rem;display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;align-items:baseline;justify-content:space-between}
.masthead a.site{font:800 1.45rem/1.1 var(--sans);letter-spacing:-.01em;color:var(--fg);text-decoration:none}
.masthead a.site::before{content:"";display:inline-block;inline-size:.55em;block-size:.55em;background:var(--accent);margin-inline-end:.45em;vertical-align:.08em}
.masthead nav{display:flex;flex-wrap:wrap;gap:.2rem .9rem;font:500 .85rem/1.4 var(--sans)}
.masthead nav a{color:var(--muted);text-decoration:none}.masthead nav a:hover{color:var(--link);text-decoration:underline}
.masthead nav a.all-feeds{color:var(--link)}
main{max-width:44rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}
h1,h2,h3{font-family:var(--sans);color:var(--fg);text-wrap:balance}
h1{font-size:clamp(1.65rem,1.2rem + 2vw,2.4rem);line-height:1.15;font-weight:800;margin:.25rem 0 .75rem;letter-spacing:-.015em}
:lang(ar) h1,:lang(ja) h1,:lang(ar) h2,:lang(ja) h2{letter-spacing:0;line-height:1.45}
.page-head{border-block-end:1px solid var(--rule);margin-block-end:1.25rem;padding-block-end:.5rem}
.eyebrow{font:700 .75rem/1.3 var(--sans);text-transform:uppercase;letter-spacing:.08em;color:var(--accent);margin:0}
.lede{color:var(--muted);font-size:1.05rem;margin:.25rem 0 .75rem}
ol.articles{list-style:none;margin:0;padding:0}
ol.articles>li{padding:1rem 0 1.1rem;border-block-end:1px solid var(--rule)}
ol.articles h2{font-size:1.3rem;line-height:1.25;font-weight:700;margin:0 0 .3rem}
ol.articles h2 a{color:var(--fg);text-decoration:none}ol.articles h2 a:hover{color:var(--link);text-decoration:underline}
.meta,.byline,.dates,.desk,figcaption,footer{font-family:var(--sans);color:var(--muted)}
.meta{font-size:.85rem;margin:0 0 .35rem}
.meta .dateline{font-weight:700;color:var(--fg);text-transform:uppercase;letter-spacing:.03em}
:lang(ar) .meta .dateline,:lang(ja) .meta .dateline{text-transform:none;letter-spacing:0}
.summary{margin:0}
.updated{color:var(--accent)}
ul.kicker{list-style:none;margin:0 0 .25rem;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem;font:700 .78rem/1.4 var(--sans);text-transform:uppercase;letter-spacing:.06em}
ul.kicker a{color:var(--accent);text-decoration:none}
:lang(ar) ul.kicker,:lang(ja) ul.kicker{text-transform:none;letter-spacing:0}
.story .byline{font-size:.95rem;font-weight:600;color:var(--fg);margin:.5rem 0 .1rem}
.story .byline a{color:inherit}
.story .dates{font-size:.85rem;margin:0 0 1.25rem;display:flex;flex-wrap:wrap;gap:.1rem 1rem}
.story .dates .updated strong{font-weight:700}
.story .correction,.kill-reason{font:.95rem/1.55 var(--sans);background:var(--panel);border-inline-start:3px solid var(--accent);padding:.6rem .9rem;margin:0 0 1.25rem}
.story .body{font-size:1.125rem}
.story .body p{margin:0 0 1.05em}
.story .dateline{font-family:var(--sans);font-weight:700;font-size:.92em;letter-spacing:.02em}
.story blockquote{margin:1.2em 0;padding-inline-start:1em;border-inline-start:3px solid var(--rule);color:var(--muted)}
.story pre,.story code{font-family:var(--mono);font-size:.9em}
.story pre{overflow:auto;background:var(--panel);padding:.75rem}
.story table{border-collapse:collapse;display:block;overflow-x:auto}.story td,.story th{border:1px solid var(--rule);padding:.3rem .5rem}
figure{margin:1.25rem 0}
figure img,.story .body img{display:block;max-inline-size:100%;block-size:auto;background:var(--panel)}
figcaption{font-size:.82rem;margin-block-start:.4rem}
figure.enclosure{background:var(--panel);border:1px solid var(--rule);border-radius:.4rem;padding:.75rem 1rem}
figure.enclosure figcaption{margin:0 0 .5rem;font-weight:700;color:var(--fg)}
figure.enclosure audio{display:block;inline-size:100%}
figure.enclosure p,p.enclosure{font:.85rem/1.4 var(--sans);margin:.5rem 0 0}
.about{color:var(--muted)}
.desk{font-size:.82rem;margin:1.5rem 0 0}
code.url{font:.85rem/1.45 var(--mono);user-select:all;-webkit-user-select:all;overflow-wrap:anywhere;unicode-bidi:isolate}
section.subscribe{background:var(--panel);border:1px solid var(--rule);border-inline-start:4px solid var(--accent);border-radius:.3rem;padding:.9rem 1.1rem;margin:0 0 1.75rem;font:.95rem/1.55 var(--sans)}
section.subscribe h2{font-size:1.05rem;margin:0 0 .35rem}
section.subscribe p{margin:.4rem 0}
section.subscribe .address{display:block;text-decoration:none;background:var(--bg);border:1px solid var(--rule);border-radius:.25rem;padding:.55rem .7rem;margin:.5rem 0;font-size:.95rem;color:var(--fg)}
h2.in-feed{font-size:1.05rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0}
section.scope-group{margin:0 0 2rem}
section.scope-group>h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.08em;color:var(--accent);margin:0 0 .25rem}
ol.directory{list-style:none;margin:0;padding:0}
ol.directory>li{padding:.7rem 0;border-block-end:1px solid var(--rule)}
ol.directory h3{font-size:1.1rem;margin:0 0 .35rem}
ul.feed-urls{list-style:none;margin:0;padding:0;display:grid;gap:.3rem}
ul.feed-urls li{display:grid;grid-template-columns:5.5rem 1fr auto;gap:.6rem;align-items:baseline;font:.85rem/1.4 var(--sans)}
ul.feed-urls .format{font-weight:700;color:var(--muted)}
ul.feed-urls a.feed-link{text-decoration:none;min-inline-size:0}
ul.feed-urls a.preview{font-size:.8rem}
@media (max-width:34rem){ul.feed-urls li{grid-template-columns:1fr auto}ul.feed-urls a.feed-link{grid-column:1/-1;grid-row:2}}
footer{max-width:44rem;margin:0 auto;padding:0 1.25rem 2.5rem;font-size:.82rem}
footer p{margin:0;padding-block-start:1rem;border-block-start:1px solid var(--rule)}
@media (max-width:30rem){body{font-size:1rem}.masthead .bar{padding:.75rem 1rem .6rem}main{padding:1.1rem 1rem 2.5rem}footer{padding-inline:1rem}.story .body{font-size:1.06rem}}
`;
