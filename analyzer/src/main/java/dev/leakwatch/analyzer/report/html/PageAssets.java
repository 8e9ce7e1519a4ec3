package dev.leakwatch.analyzer.report.html;

/**
 * The page's one style sheet and one script, the same for every page. Both are allowed by their hashes
 * ({@link ContentSecurityPolicy}); the script only adds behaviour to what the page already shows without it (sorting
 * a table, zooming a flame graph), so a browser with scripts off still shows everything.
 */
final class PageAssets {
    private PageAssets() {}

    static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;background:#f4f5f7}
            main{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
            h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
            h3{font-size:16px;margin:0 0 6px;word-break:break-all}
            code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
            .verdict{display:inline-block;padding:4px 12px;border-radius:14px;font-weight:600;color:#fff;background:#6b7280}
            .verdict.leak-suspected{background:#c0362c}.verdict.no-leak-found{background:#2f855a}.verdict.not-enough-data{background:#b7791f}
            .summary{font-size:16px;margin:8px 0 12px}
            .card{background:#fff;border:1px solid #d5d9e0;border-radius:8px;padding:14px 16px;margin:12px 0}
            .facts{border-collapse:collapse}.facts th{text-align:left;font-weight:500;color:#4b5563;padding:2px 16px 2px 0;vertical-align:top}
            .facts td{padding:2px 0;word-break:break-all}
            .charts{display:flex;flex-wrap:wrap;gap:12px}.charts figure{margin:0;flex:1 1 420px}
            .small figure{flex:1 1 300px}
            figcaption{font-size:12.5px;color:#4b5563;margin-top:2px}
            svg{display:block;max-width:100%;height:auto}
            svg text{font:11px system-ui,sans-serif;fill:#4b5563}
            .grid{stroke:#e5e7eb;stroke-width:1}.axis{stroke:#9ca3af;stroke-width:1}
            path.series{fill:none;stroke:#2563eb;stroke-width:2;stroke-linejoin:round}
            path.series.instances{stroke:#7c3aed}path.series.gauge{stroke:#0f766e}
            path.trend{fill:none;stroke:#dc2626;stroke-width:1.5;stroke-dasharray:6 4}
            .limit{stroke:#111827;stroke-width:1.5;stroke-dasharray:2 3}
            .marker{stroke:#d97706;stroke-width:1.5}text.marker-label{fill:#b45309}
            rect.warmup{fill:#f3f4f6}
            .conf{font-weight:600}.high{color:#c0362c}.medium{color:#b7791f}.low{color:#4b5563}
            .why{color:#374151}.related{margin:4px 0 0 18px;padding:0}
            .retention{border-left:3px solid #d5d9e0;padding:4px 10px;color:#6b7280;margin:10px 0}
            .retention p{margin:4px 0;color:#1f2937}
            .retention ol.chain{margin:2px 0 8px 22px;padding:0;color:#1f2937}
            .retention li.grows{color:#b91c1c;font-weight:600}
            .sites{margin:6px 0 0 18px;padding:0}
            svg.flame g.fr{cursor:pointer}svg.flame rect{stroke:#fff;stroke-width:.5}
            svg.flame g.jdk rect{fill:#f6c28b}svg.flame g.lib rect{fill:#f4a259}svg.flame g.app rect{fill:#d7263d}
            svg.flame g.alloc rect{fill:#9b5de5}svg.flame g.root rect{fill:#adb5bd}
            svg.flame text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#111;pointer-events:none}
            svg.flame g.app text,svg.flame g.alloc text{fill:#fff}
            .legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
            .legend .app{background:#d7263d}.legend .lib{background:#f4a259}.legend .jdk{background:#f6c28b}.legend .alloc{background:#9b5de5}
            table.classes{border-collapse:collapse;width:100%;background:#fff}
            table.classes th,table.classes td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:right;white-space:nowrap}
            table.classes th:first-child,table.classes td:first-child{text-align:left;white-space:normal;word-break:break-all}
            table.classes th{cursor:pointer;background:#f9fafb;position:sticky;top:0}
            table.classes th[data-dir=asc]::after{content:" \\25B2"}table.classes th[data-dir=desc]::after{content:" \\25BC"}
            path.spark{fill:none;stroke:#2563eb;stroke-width:1.2}
            .up{color:#c0362c}.down{color:#2f855a}
            .muted{color:#6b7280}.warnings li{color:#92400e}
            """;

    static final String SCRIPT = """
            (function () {
              document.documentElement.setAttribute('data-script', 'ran');
              document.querySelectorAll('table.sortable').forEach(function (table) {
                table.querySelectorAll('th').forEach(function (th, column) {
                  th.addEventListener('click', function () {
                    var ascending = th.getAttribute('data-dir') !== 'asc';
                    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-dir'); });
                    th.setAttribute('data-dir', ascending ? 'asc' : 'desc');
                    var body = table.tBodies[0];
                    var rows = Array.prototype.slice.call(body.rows);
                    rows.sort(function (a, b) {
                      var x = a.cells[column].getAttribute('data-v'), y = b.cells[column].getAttribute('data-v');
                      var nx = parseFloat(x), ny = parseFloat(y);
                      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
                      return ascending ? c : -c;
                    });
                    rows.forEach(function (row) { body.appendChild(row); });
                  });
                });
              });
              document.querySelectorAll('svg.flame').forEach(function (svg) {
                var width = parseFloat(svg.getAttribute('data-width'));
                svg.addEventListener('click', function (event) {
                  var target = event.target.closest('g.fr');
                  if (!target) { return; }
                  var x0 = parseFloat(target.getAttribute('data-x')), w0 = parseFloat(target.getAttribute('data-w'));
                  svg.querySelectorAll('g.fr').forEach(function (g) {
                    var x = (parseFloat(g.getAttribute('data-x')) - x0) * width / w0;
                    var w = parseFloat(g.getAttribute('data-w')) * width / w0;
                    if (x + w <= 0.01 || x >= width - 0.01) { g.setAttribute('display', 'none'); return; }
                    g.removeAttribute('display');
                    var rect = g.querySelector('rect'), text = g.querySelector('text');
                    var label = g.querySelector('title').textContent.slice(0, parseInt(g.getAttribute('data-n'), 10));
                    var fit = Math.floor((w - 6) / 7);
                    rect.setAttribute('x', x.toFixed(1));
                    rect.setAttribute('width', w.toFixed(1));
                    text.setAttribute('x', (x + 3).toFixed(1));
                    text.textContent = fit < 3 ? '' : (label.length > fit ? label.slice(0, fit - 1) + '\\u2026' : label);
                  });
                });
              });
            })();
            """;
}
