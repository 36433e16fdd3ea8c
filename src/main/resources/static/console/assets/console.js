// Relay console: CSRF for htmx requests and small behaviours shared by all pages. No inline scripts (CSP).
(function () {
    "use strict";
    function meta(name) {
        var el = document.querySelector('meta[name="' + name + '"]');
        return el ? el.getAttribute("content") : null;
    }

    // "/" anywhere but in a text field jumps to the header's search box (the box is also in the tab order).
    document.addEventListener("keydown", function (event) {
        var target = event.target;
        var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
        var box = document.getElementById("header-search");
        if (event.key === "/" && !typing && box && !event.ctrlKey && !event.metaKey && !event.altKey) {
            event.preventDefault();
            box.focus();
            box.select();
        }
    });

    // htmx posts carry the same CSRF token as the page's forms.
    document.addEventListener("htmx:configRequest", function (event) {
        var header = meta("csrf-header");
        var token = meta("csrf-token");
        if (header && token) {
            event.detail.headers[header] = token;
        }
    });

    // An htmx request that fails with a rendered message shows it in the nearest message area instead of nothing.
    document.addEventListener("htmx:beforeSwap", function (event) {
        var status = event.detail.xhr.status;
        if (status >= 400 && status < 600) {
            var area = document.querySelector("[data-messages]");
            if (area) {
                area.innerHTML = event.detail.xhr.responseText || "<p class=\"problem\" role=\"alert\">Request failed.</p>";
            }
            event.detail.shouldSwap = false;
        }
    });

    // "Older threads" replaces itself with the rows it loaded: focus moves to the first of them, so a keyboard user
    // continues down the list instead of starting again at the top of the page.
    var appending = null;
    document.addEventListener("htmx:beforeRequest", function (event) {
        var list = event.detail.elt.getAttribute && event.detail.elt.getAttribute("data-append-to");
        if (list) {
            appending = {list: list, count: document.querySelectorAll(list + " > li").length};
        }
    });
    document.addEventListener("htmx:afterSettle", function () {
        if (!appending) {
            return;
        }
        var first = document.querySelectorAll(appending.list + " > li")[appending.count];
        appending = null;
        var link = first ? first.querySelector("a") : null;
        if (link) {
            link.focus();
        }
    });

    // Live character counter: counts Unicode code points, as the API does.
    function bindCounter(field) {
        if (field.dataset.bound) {
            return;
        }
        field.dataset.bound = "1";
        var max = parseInt(field.getAttribute("data-max-codepoints"), 10);
        var output = document.getElementById(field.getAttribute("data-counter"));
        var submit = field.form ? field.form.querySelector("button[type=submit]") : null;
        function update() {
            var used = Array.from(field.value).length;
            if (output) {
                output.textContent = (max - used) + " left";
                output.classList.toggle("over", used > max);
            }
            if (submit) {
                submit.disabled = used === 0 || used > max;
            }
        }
        field.addEventListener("input", update);
        update();
    }

    function init(root) {
        root.querySelectorAll("[data-max-codepoints]").forEach(bindCounter);
    }

    window.RelayConsole = {init: init};
    document.addEventListener("DOMContentLoaded", function () { init(document); });
    document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
