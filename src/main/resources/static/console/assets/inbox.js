// Relay console thread view: live messages from the session-authorized event stream, sending, editing and
// deleting through fetch (forms still work without JavaScript). Message text is only ever set as textContent.
(function () {
    "use strict";
    var page = document.querySelector("main[data-thread]");
    if (!page) {
        return;
    }
    var me = page.getAttribute("data-me");
    var base = page.getAttribute("data-base");
    var canWrite = page.getAttribute("data-can-write") === "true";
    var list = document.getElementById("conversation");
    var area = document.querySelector("[data-messages]");
    var status = document.getElementById("live-status");
    var template = document.getElementById("message-template");

    function meta(name) {
        var el = document.querySelector('meta[name="' + name + '"]');
        return el ? el.getAttribute("content") : "";
    }

    function show(html) {
        area.innerHTML = html;
    }

    function post(url, fields) {
        var headers = {"HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"};
        headers[meta("csrf-header")] = meta("csrf-token");
        return fetch(url, {method: "POST", headers: headers, body: new URLSearchParams(fields), credentials: "same-origin"})
            .then(function (response) {
                if (response.ok) {
                    show("");
                    return true;
                }
                return response.text().then(function (text) {
                    show(text || "<p class=\"problem\" role=\"alert\">The request failed.</p>");
                    return false;
                });
            }, function () {
                show("<p class=\"problem\" role=\"alert\">The server could not be reached. Try again.</p>");
                return false;
            });
    }

    function when(iso) {
        return iso ? iso.replace("T", " ").slice(0, 16) : "";
    }

    function actions(li) {
        var box = document.createElement("div");
        box.className = "msg-actions";
        var edit = document.createElement("button");
        edit.type = "button";
        edit.className = "secondary";
        edit.setAttribute("data-edit", "");
        edit.textContent = "Edit";
        var form = document.createElement("form");
        form.method = "post";
        form.action = base + "/messages/" + li.getAttribute("data-id") + "/delete";
        var del = document.createElement("button");
        del.type = "submit";
        del.className = "secondary";
        del.setAttribute("data-delete", "");
        del.textContent = "Delete";
        form.appendChild(del);
        box.appendChild(edit);
        box.appendChild(form);
        return box;
    }

    // Inserts or updates a message by id, in seq order: replays and live events may overlap the rendered page.
    function upsert(data) {
        var li = list.querySelector('li[data-id="' + data.id + '"]');
        if (!li) {
            li = template.content.firstElementChild.cloneNode(true);
            li.setAttribute("data-id", data.id);
            li.setAttribute("data-author", data.username);
            li.querySelector(".author").textContent = data.username;
            var time = li.querySelector("time");
            time.setAttribute("datetime", data.created_at || "");
            time.textContent = when(data.created_at);
            if (data.username === me) {
                li.classList.add("own");
                if (canWrite) {
                    li.appendChild(actions(li));
                }
            }
            var next = null;
            list.querySelectorAll("li[data-seq]").forEach(function (other) {
                if (!next && Number(other.getAttribute("data-seq")) > data.seq) {
                    next = other;
                }
            });
            list.insertBefore(li, next);
        }
        if (!li.hasAttribute("data-seq") || Number(li.getAttribute("data-seq")) <= 0) {
            li.setAttribute("data-seq", data.seq);
        }
        var text = li.querySelector(".msg-text");
        if (data.deleted) {
            text.textContent = "message deleted";
            text.classList.add("deleted");
            var box = li.querySelector(".msg-actions");
            if (box) {
                box.remove();
            }
            var form = li.querySelector("form.edit");
            if (form) {
                form.remove();
            }
            text.hidden = false;
        } else {
            text.textContent = data.message;
            if (data.edited_at) {
                var edited = li.querySelector(".edited");
                if (edited) {
                    edited.hidden = false;
                } else {
                    var span = document.createElement("span");
                    span.className = "edited";
                    span.textContent = "(edited)";
                    li.querySelector(".msg-head").appendChild(span);
                }
            }
        }
        return li;
    }

    var lastSeq = Number(page.getAttribute("data-last-seq")) || 0;
    var readTimer = null;
    function markRead(seq) {
        if (seq > lastSeq) {
            lastSeq = seq;
        }
        clearTimeout(readTimer);
        readTimer = setTimeout(function () {
            post(base + "/read", {up_to_seq: String(lastSeq)});
        }, 500);
    }

    if (page.getAttribute("data-live") === "true" && window.EventSource) {
        var stream = new EventSource(base + "/events?last_event_id=" + lastSeq);
        stream.addEventListener("open", function () {
            status.textContent = "Live";
            status.setAttribute("data-state", "live");
        });
        stream.addEventListener("error", function () {
            status.textContent = "Reconnecting…";
            status.setAttribute("data-state", "reconnecting");
        });
        ["message.created", "message.edited", "message.deleted"].forEach(function (type) {
            stream.addEventListener(type, function (event) {
                var data = JSON.parse(event.data);
                upsert(data);
                if (type === "message.created") {
                    markRead(data.seq);
                    var li = list.querySelector('li[data-id="' + data.id + '"]');
                    if (li && li.scrollIntoView) {
                        li.scrollIntoView({block: "nearest"});
                    }
                }
            });
        });
        window.addEventListener("pagehide", function () {
            stream.close();
        });
    }

    var send = document.getElementById("send");
    if (send) {
        send.addEventListener("submit", function (event) {
            event.preventDefault();
            var field = send.querySelector("textarea");
            var button = send.querySelector("button[type=submit]");
            button.disabled = true;
            post(send.action, {text: field.value}).then(function (ok) {
                if (ok) {
                    field.value = "";
                }
                field.dispatchEvent(new Event("input"));
                field.focus();
            });
        });
    }

    list.addEventListener("submit", function (event) {
        var form = event.target;
        var li = form.closest("li[data-id]");
        if (!li) {
            return;
        }
        event.preventDefault();
        if (form.classList.contains("edit")) {
            var value = form.querySelector("textarea").value;
            post(base + "/messages/" + li.getAttribute("data-id") + "/edit", {text: value}).then(function (ok) {
                if (ok) {
                    li.querySelector(".msg-text").textContent = value;
                    closeEditor(li);
                }
            });
        } else {
            post(form.action, {});
        }
    });

    function closeEditor(li) {
        var form = li.querySelector("form.edit");
        if (form) {
            form.remove();
        }
        li.querySelector(".msg-text").hidden = false;
        var box = li.querySelector(".msg-actions");
        if (box) {
            box.hidden = false;
        }
    }

    list.addEventListener("click", function (event) {
        var li = event.target.closest("li[data-id]");
        if (!li) {
            return;
        }
        if (event.target.matches("[data-edit]")) {
            var text = li.querySelector(".msg-text");
            var form = document.createElement("form");
            form.className = "edit stack";
            var id = "edit-" + li.getAttribute("data-id");
            var label = document.createElement("label");
            label.setAttribute("for", id);
            label.textContent = "Edit message";
            var area = document.createElement("textarea");
            area.id = id;
            area.rows = 3;
            area.value = text.textContent;
            area.setAttribute("data-max-codepoints", "280");
            area.setAttribute("data-counter", id + "-counter");
            var row = document.createElement("div");
            row.className = "send-row";
            var counter = document.createElement("output");
            counter.id = id + "-counter";
            var buttons = document.createElement("span");
            var save = document.createElement("button");
            save.type = "submit";
            save.textContent = "Save";
            var cancel = document.createElement("button");
            cancel.type = "button";
            cancel.className = "secondary";
            cancel.setAttribute("data-cancel", "");
            cancel.textContent = "Cancel";
            buttons.appendChild(save);
            buttons.appendChild(document.createTextNode(" "));
            buttons.appendChild(cancel);
            row.appendChild(counter);
            row.appendChild(buttons);
            form.appendChild(label);
            form.appendChild(area);
            form.appendChild(row);
            text.hidden = true;
            li.querySelector(".msg-actions").hidden = true;
            li.appendChild(form);
            if (window.RelayConsole) {
                window.RelayConsole.init(form);
            }
            area.focus();
        } else if (event.target.matches("[data-cancel]")) {
            closeEditor(li);
        }
    });
})();
