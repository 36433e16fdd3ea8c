// Field-service charts. Each canvas[data-chart] draws the rows of its accessible table (data-table), so the chart and
// the table can never disagree; the drawn numbers are left on the canvas (data-values) for tests and tools.
(function () {
    "use strict";

    function draw(canvas) {
        if (canvas.dataset.drawn || typeof Chart === "undefined") {
            return;
        }
        var table = document.getElementById(canvas.getAttribute("data-table"));
        if (!table) {
            return;
        }
        var bars = parseInt(canvas.getAttribute("data-bars"), 10) || 0;
        var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-value]"), 0, bars);
        var labels = rows.map(function (row) { return row.querySelector("th").textContent.trim(); });
        var values = rows.map(function (row) {
            var value = row.getAttribute("data-value");
            return value === "" || value === null ? null : Number(value);
        });
        var isSla = canvas.getAttribute("data-chart") === "sla";
        canvas.dataset.drawn = "1";
        canvas.dataset.labels = JSON.stringify(labels);
        canvas.dataset.values = JSON.stringify(values);
        // eslint-disable-next-line no-new
        new Chart(canvas, {
            type: "bar",
            data: {
                labels: labels,
                datasets: [{
                    label: isSla ? "SLA %" : "Visits per business day",
                    data: values,
                    backgroundColor: isSla
                        ? values.map(function (v) { return v !== null && v < 80 ? "#b42318" : "#1d4ed8"; })
                        : "#1d4ed8"
                }]
            },
            options: {
                indexAxis: "y",
                maintainAspectRatio: false,
                animation: false,
                plugins: { legend: { display: false } },
                scales: { x: isSla ? { min: 0, max: 100 } : { beginAtZero: true } }
            }
        });
    }

    function init(root) {
        (root.querySelectorAll ? root : document).querySelectorAll("canvas[data-chart]").forEach(draw);
    }

    document.addEventListener("DOMContentLoaded", function () { init(document); });
    document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
    if (document.readyState !== "loading") {
        init(document);
    }
})();
