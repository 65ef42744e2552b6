package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.dom.Element;

/**
 * What helps to read and reuse a reply, done in the browser: the copy buttons of messages and code blocks, and
 * syntax highlighting by highlight.js, loaded at run time from its WebJar (the pre-compiled frontend bundle stays as
 * it is). One delegated click listener and one MutationObserver per message column; they keep no server-side state.
 *
 * <p>Code blocks are highlighted once their message is final (a reply whose {@code status} is no longer
 * "running", or a user's message): while a reply streams, the web component re-renders its markdown on every batch.
 * Nothing here writes message text as HTML: highlight.js reads {@code textContent} and escapes what it writes back,
 * the copy buttons are made with {@code createElement}, and copying puts plain text on the clipboard.
 */
final class ReadingAids {
    /** Keep in step with {@code highlightjs.version} in pom.xml (ReadingAidsTest checks the files are there). */
    static final String HIGHLIGHT_JS_VERSION = "11.10.0";
    static final String WEBJAR = "webjars/highlightjs/" + HIGHLIGHT_JS_VERSION + "/";
    static final String SCRIPT = WEBJAR + "highlight.min.js";
    /** The light theme; the dark one is in the app theme's styles.css, under Lumo's dark variant. */
    static final String STYLE = WEBJAR + "styles/github.min.css";

    private static final String INSTALL_JS = """
            const root = this;
            if (root.__sbReading) return;
            root.__sbReading = true;
            const copyText = async text => {
              try { await navigator.clipboard.writeText(text); return true; } catch (e) { /* below */ }
              const ta = document.createElement('textarea');
              ta.value = text; ta.setAttribute('readonly', ''); ta.style.position = 'fixed'; ta.style.opacity = '0';
              document.body.appendChild(ta); ta.select();
              let ok = false;
              try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
              ta.remove();
              return ok;
            };
            const done = (button, ok) => {
              if (button.__sbTitle === undefined) button.__sbTitle = button.title;
              button.setAttribute('copied', ok ? 'ok' : 'failed');
              button.title = ok ? 'Copied' : 'Could not copy';
              clearTimeout(button.__sbTimer);
              button.__sbTimer = setTimeout(() => { button.removeAttribute('copied'); button.title = button.__sbTitle; }, 1500);
            };
            root.addEventListener('click', e => {
              const button = e.target.closest ? e.target.closest('.sb-copy, .sb-code-copy') : null;
              if (!button || !root.contains(button)) return;
              let text = '';
              if (button.classList.contains('sb-code-copy')) {
                const code = button.parentElement.querySelector('code');
                text = code ? code.textContent : '';
              } else {
                const message = button.closest('.sb-message');
                const list = message ? message.querySelector('vaadin-message-list') : null;
                const item = list && list.items ? list.items[0] : null;
                text = item && item.text ? item.text : '';
              }
              copyText(text).then(ok => done(button, ok));
            });
            const pass = () => {
              root.__sbQueued = false;
              for (const pre of root.querySelectorAll('vaadin-markdown pre')) {
                const message = pre.closest('.sb-message');
                if (!message || message.getAttribute('status') === 'running') continue;
                const code = pre.querySelector('code');
                if (!code) continue;
                if (window.hljs && code.__sbHighlighted !== code.textContent) {
                  delete code.dataset.highlighted;
                  try { window.hljs.highlightElement(code); } catch (e) { /* an unknown language stays plain */ }
                  code.__sbHighlighted = code.textContent;
                }
                if (!pre.querySelector(':scope > .sb-code-copy')) {
                  const b = document.createElement('button');
                  b.type = 'button';
                  b.className = 'sb-code-copy';
                  b.textContent = 'Copy';
                  b.title = 'Copy code';
                  b.setAttribute('aria-label', 'Copy code');
                  pre.appendChild(b);
                }
              }
            };
            const schedule = () => {
              if (root.__sbQueued) return;
              root.__sbQueued = true;
              requestAnimationFrame(pass);
            };
            new MutationObserver(schedule).observe(root,
                { childList: true, subtree: true, attributes: true, attributeFilter: ['status'] });
            // highlight.js may still be loading: highlight as soon as it is there (for at most ~30 s).
            let waits = 0;
            const whenLoaded = () => {
              if (window.hljs) { window.hljs.configure({ ignoreUnescapedHTML: true }); schedule(); }
              else if (waits++ < 300) setTimeout(whenLoaded, 100);
            };
            whenLoaded();
            schedule();
            """;

    private ReadingAids() {}

    /**
     * Loads highlight.js into the page (once per page: Flow loads a dependency once) and starts the aids on
     * {@code column}, the element that holds the messages.
     */
    static void install(UI ui, Element column) {
        ui.getPage().addStyleSheet("context://" + STYLE);
        ui.getPage().addJavaScript("context://" + SCRIPT);
        column.executeJs(INSTALL_JS);
    }

    /** The copy button under a message; the click is handled in the browser (the message's text, as written). */
    static Element copyButton() {
        Element button = new Element("vaadin-button")
                .setAttribute("class", "sb-copy")
                .setAttribute("theme", "tertiary-inline small icon")
                .setAttribute("title", "Copy message")
                .setAttribute("aria-label", "Copy message");
        button.appendChild(new Element("vaadin-icon").setAttribute("icon", "vaadin:copy-o"));
        return button;
    }
}
