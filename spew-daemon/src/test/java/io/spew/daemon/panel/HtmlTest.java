package io.spew.daemon.panel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void textAndAttributesAreEscaped() {
        String html = new Html().element("td", "<script>alert(1)</script> & 'x' \"y\"", "title", "\"><img onerror=x>")
                .toString();
        assertThat(html).isEqualTo("<td title=\"&quot;&gt;&lt;img onerror=x&gt;\">&lt;script&gt;alert(1)&lt;/script&gt;"
                + " &amp; &#39;x&#39; &quot;y&quot;</td>");
    }

    @Test
    void controlCharactersShowAsPictures() {
        assertThat(Html.escape("\u001b[31mred\u001b[0m\n\tend\u0000")).isEqualTo("\u241b[31mred\u241b[0m\n\tend\u2400");
        assertThat(Html.escape("a\u0085b\u007fc")).isEqualTo("a\ufffdb\ufffdc");
    }

    @Test
    void urlAttributesTakeLocalPathsOnly() {
        assertThatThrownBy(() -> new Html().open("a", "href", "javascript:alert(1)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Html().open("a", "href", "//evil.example/"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Html().open("form", "action", "https://evil.example/"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Html().open("a", "href", "/panel" + Html.path("instances", "javascript:alert(1)")).toString())
                .isEqualTo("<a href=\"/panel/instances/javascript%3Aalert%281%29\">");
        assertThat(Html.path("builds", "../../etc/passwd")).isEqualTo("/builds/..%2F..%2Fetc%2Fpasswd");
    }

    @Test
    void scriptsHandlersAndRawNamesCannotBeWritten() {
        assertThatThrownBy(() -> new Html().open("script")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Html().open("style")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Html().open("img", "onerror", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Html().open("div", "style", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Html().open("div onclick=x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Html().open("div", "data-x\" onclick=\"y", "z"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNullAttributeIsLeftOut() {
        assertThat(new Html().element("dd", null, "data-field", null).toString()).isEqualTo("<dd></dd>");
    }

    @Test
    void pagesEscapeTitlesAndLoadTheirScriptFromTheServer() {
        String page = PanelLayout.page("<b>x</b>", "tok\"en", html -> html.element("p", "<i>"));
        assertThat(page).contains("<h1>&lt;b&gt;x&lt;/b&gt;</h1>", "value=\"tok&quot;en\"", "<p>&lt;i&gt;</p>",
                "<script src=\"/panel/static/panel.js\" defer></script>");
        assertThat(page.split("<script", -1)).hasSize(2);
    }
}
