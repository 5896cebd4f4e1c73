import Foundation
import FulcrumCore
import FulcrumIO

/// `GET /`: one server-rendered page (inline CSS and JavaScript, no CDN, no external fonts).
///
/// Markets, prices, insurance funds and the heatmap SVG are rendered on the server; the accounts closest to
/// liquidation and the recent liquidation/ADL feed too when the dashboard is public. The script then refreshes
/// from `/v1/overview` and `/v1/heatmap.svg` and follows `/v1/stream` for the live feed. Without
/// `--public-dashboard` the page asks for a read-only key (kept in `sessionStorage`, sent as a bearer token and
/// as `access_token` on the WebSocket).
extension APIServer {
    func dashboardPage() async -> String {
        let markets = await service.marketsJSON()
        let insurance = await service.insuranceJSON()
        let heatmap = (try? await service.heatmapSVG(symbol: nil, depth: options.heatmapDepth)) ?? ""
        let overview = options.publicDashboard ? await service.overviewJSON() : "null"
        let state = await service.stateJSON()
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Fulcrum</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body{font:14px system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
            header{background:#1d2330;color:#fff;padding:10px 18px;display:flex;gap:18px;align-items:baseline}
            header h1{font-size:18px;margin:0} header span{opacity:.8;font-size:12px}
            main{display:grid;grid-template-columns:1fr 1fr;gap:14px;padding:14px}
            section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px 12px;overflow:auto}
            section.wide{grid-column:1/3} h2{font-size:14px;margin:0 0 8px}
            table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
            th,td{text-align:right;padding:3px 6px;border-bottom:1px solid #eef0f3;white-space:nowrap}
            th:first-child,td:first-child{text-align:left} .bad{color:#c33} .warn{color:#b70}
            #feed{max-height:320px;overflow:auto;font-family:ui-monospace,monospace;font-size:12px}
            #keybox{padding:10px 18px;background:#fff3cd} input{font:inherit}
            </style></head><body>
            <header><h1>Fulcrum</h1><span id="status"></span></header>
            <div id="keybox" hidden>Read-only API key: <input id="key" size="60" placeholder="fk_…">
            <button id="save">Use key</button> (kept in this tab's sessionStorage only)</div>
            <main>
            <section><h2>Markets</h2><table id="markets">
            """
        html += marketRows(markets) + "</table></section>\n"
        html += "<section><h2>Insurance funds</h2><table id=\"insurance\">" + insuranceRows(insurance)
        html += "</table></section>\n"
        html += "<section class=\"wide\"><h2>Closest to liquidation</h2><table id=\"closest\">"
        html += "<tr><th>account</th><th>margin ratio</th><th>equity</th><th>maintenance</th><th>market</th>"
        html += "<th>liq. price</th><th>distance %</th></tr></table></section>\n"
        html += "<section class=\"wide\"><h2>Liquidation heatmap <select id=\"heatmarket\"></select></h2>"
        html += "<div id=\"heatmap\">\(heatmap)</div></section>\n"
        html += "<section class=\"wide\"><h2>Live liquidation / ADL feed</h2><div id=\"feed\"></div></section>\n"
        html += "</main>\n<script>\nconst PUBLIC = \(options.publicDashboard);\n"
        html += "const INITIAL = \(Self.scriptSafe(overview));\nconst STATE = \(Self.scriptSafe(state));\n"
        html += Self.script
        html += "</script></body></html>\n"
        return html
    }

    /// JSON embedded in a `<script>` element: `<`, `>` and `&` escaped so no text can close the element.
    static func scriptSafe(_ json: String) -> String {
        json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }

    private func marketRows(_ json: String) -> String {
        var rows = "<tr><th>market</th><th>venue</th><th>index</th><th>mark</th><th>long OI</th><th>short OI</th>"
        rows += "<th>insurance fund</th></tr>"
        for market in Self.objects(json) {
            rows += "<tr>"
            for key in [
                "symbol", "venue", "indexPrice", "markPrice", "longOpenInterest", "shortOpenInterest", "insuranceFund",
            ] {
                rows += "<td>\(AnalyticsHTML.escape(Self.field(market, key)))</td>"
            }
            rows += "</tr>"
        }
        return rows
    }

    private func insuranceRows(_ json: String) -> String {
        var rows = "<tr><th>fund</th><th>balance</th></tr>"
        guard let value = Self.parse(json), case .array(let funds)? = value["funds"] else { return rows }
        for fund in funds {
            let name = Self.text(fund["market"]) ?? "shared"
            rows +=
                "<tr><td>\(AnalyticsHTML.escape(name))</td><td>\(AnalyticsHTML.escape(Self.text(fund["balance"]) ?? ""))</td></tr>"
        }
        return rows
    }

    static func parse(_ json: String) -> EventJSONValue? {
        Array(json.utf8).withUnsafeBufferPointer { try? EventJSONValue.parse($0) }
    }

    static func objects(_ json: String) -> [EventJSONValue] {
        guard case .array(let items)? = parse(json) else { return [] }
        return items
    }

    static func text(_ value: EventJSONValue?) -> String? {
        switch value {
        case .string(let s)?, .number(let s)?: s
        default: nil
        }
    }

    static func field(_ object: EventJSONValue, _ key: String) -> String { text(object[key]) ?? "" }

    static let script = """
        const ALERTS = ["liquidationFill","liquidationFee","insuranceCover","autoDeleverage","socializedLoss","badDebt"];
        let key = sessionStorage.getItem("fulcrumKey") || "";
        let socket = null, cursor = STATE.effectSequence, heatMarket = null;
        const $ = (id) => document.getElementById(id);
        function headers() { return key ? {"Authorization": "Bearer " + key} : {}; }
        function cell(row, text, cls) { const td = row.insertCell(); td.textContent = text ?? ""; if (cls) td.className = cls; }
        function table(id, header, rows, fill) {
          const t = $(id); t.replaceChildren(); const h = t.insertRow();
          header.forEach((name) => { const th = document.createElement("th"); th.textContent = name; h.appendChild(th); });
          rows.forEach((r) => fill(t.insertRow(), r));
        }
        function feedLine(e) {
          const div = document.createElement("div");
          div.textContent = `#${e.sequence} ${e.kind} account ${e.account ?? "-"} ${e.market ?? ""} size ${e.size} @ ${e.price} amount ${e.amount} IF ${e.insuranceDelta}`;
          if (e.kind === "autoDeleverage" || e.kind === "socializedLoss" || e.kind === "badDebt") div.className = "bad";
          $("feed").prepend(div);
          while ($("feed").childNodes.length > 200) $("feed").lastChild.remove();
        }
        function render(o) {
          $("status").textContent = `event ${o.state.eventSequence} · hash ${o.state.stateHash} · ${o.state.accounts} accounts · ${o.state.healthy ? "healthy" : "WRITES STOPPED"}`;
          table("markets", ["market","venue","index","mark","long OI","short OI","insurance fund"], o.markets, (row, m) => {
            [m.symbol, m.venue, m.indexPrice, m.markPrice, m.longOpenInterest, m.shortOpenInterest, m.insuranceFund].forEach((v) => cell(row, v)); });
          table("closest", ["account","margin ratio","equity","maintenance","market","liq. price","distance %"], o.closestToLiquidation, (row, a) => {
            const ratio = a.marginRatio === null ? "∞" : a.marginRatio.toFixed(3);
            [a.account, ratio, a.equity, a.maintenanceMargin, a.market, a.liquidationPrice, a.distancePercent].forEach((v, i) =>
              cell(row, v, i === 1 && (a.marginRatio === null || a.marginRatio >= 0.8) ? "bad" : ""));
          });
          table("insurance", ["fund","balance"], o.insurance.funds, (row, f) => { cell(row, f.market ?? "shared"); cell(row, f.balance); });
          const select = $("heatmarket");
          if (select.options.length !== o.markets.length) {
            select.replaceChildren();
            o.markets.forEach((m) => { const opt = document.createElement("option"); opt.value = m.symbol; opt.textContent = m.symbol; select.appendChild(opt); });
            if (heatMarket) select.value = heatMarket;
          }
        }
        async function refresh() {
          try {
            const r = await fetch("/v1/overview", {headers: headers()});
            if (r.status === 401 || r.status === 403) { $("keybox").hidden = false; return; }
            const o = await r.json(); render(o);
            if (!socket) connect(o.state.effectSequence);
          } catch (e) { $("status").textContent = "offline: " + e; }
        }
        async function refreshHeatmap() {
          const m = $("heatmarket").value; if (!m) return;
          const r = await fetch("/v1/heatmap.svg?market=" + encodeURIComponent(m), {headers: headers()});
          if (r.ok) $("heatmap").innerHTML = await r.text();
        }
        function connect(from) {
          cursor = from;
          const url = new URL("/v1/stream", location.href);
          url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
          url.searchParams.set("from", cursor);
          if (key) url.searchParams.set("access_token", key);
          socket = new WebSocket(url);
          socket.onmessage = (m) => {
            const e = JSON.parse(m.data);
            if (e.type === "end") { cursor = e.resumeFrom; socket.close(); return; }
            cursor = e.sequence;
            if (ALERTS.includes(e.kind)) feedLine(e);
          };
          socket.onclose = () => { const at = cursor; socket = null; setTimeout(() => { if (!socket) connect(at); }, 2000); };
        }
        $("save").onclick = () => { key = $("key").value.trim(); sessionStorage.setItem("fulcrumKey", key); $("keybox").hidden = true; refresh(); };
        $("heatmarket").onchange = () => { heatMarket = $("heatmarket").value; refreshHeatmap(); };
        if (INITIAL) { render(INITIAL); INITIAL.alerts.forEach(feedLine); }
        if (!PUBLIC && !key) $("keybox").hidden = false;
        refresh(); setInterval(refresh, 2000); setInterval(refreshHeatmap, 10000);
        """
}
