/**
 * XSLT 1.0 stylesheet referenced from RSS and Atom, so that opening a feed
 * URL in a browser shows a readable page instead of raw XML. It only reads
 * the feed: titles, descriptions, items with dates and links, and a short
 * note on what a feed is and how to subscribe. Summaries and Atom titles are
 * HTML-escaped text in the feeds, so they are output unescaped once here.
 */
import type { SiteConfig } from "../config.js";
import { escapeHtml } from "../text.js";

export function feedXsl(site: SiteConfig): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <xsl:output method="html" encoding="utf-8" indent="yes"/>
  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="lang" select="/rss/channel/language | /atom:feed/@xml:lang"/>
  <xsl:template match="/">
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <link rel="stylesheet" href="${escapeHtml(new URL("style.css", site.baseUrl).href)}"/>
      </head>
      <body>
        <header><a class="site" href="{/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href}"><xsl:value-of select="$title"/></a></header>
        <main>
          <aside class="about-feed">
            <h2>This is a web feed</h2>
            <p>A feed lets you follow this site in a feed reader (NetNewsWire, Feedly, Miniflux, newsboat…): new articles arrive there by themselves. To subscribe, copy this page's address into your reader.</p>
            <p><code><xsl:value-of select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/></code></p>
          </aside>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="/rss/channel/description | /atom:feed/atom:subtitle"/></p>
          <ol class="articles">
            <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
  <xsl:template match="item">
    <li>
      <h2 dir="auto"><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="meta"><time><xsl:value-of select="pubDate"/></time> · <xsl:value-of select="dc:creator"/></p>
      <p dir="auto"><xsl:value-of select="description" disable-output-escaping="yes"/></p>
    </li>
  </xsl:template>
  <xsl:template match="atom:entry">
    <li>
      <xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
      <h2 dir="auto"><a href="{atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="atom:title" disable-output-escaping="yes"/></a></h2>
      <p class="meta"><time><xsl:value-of select="atom:published"/></time> · <xsl:for-each select="atom:author"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="atom:name"/></xsl:for-each></p>
      <p dir="auto"><xsl:value-of select="atom:summary" disable-output-escaping="yes"/></p>
    </li>
  </xsl:template>
</xsl:stylesheet>
`;
}
