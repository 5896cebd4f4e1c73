-- wrk script: a mix of fills (70 %) and oracle updates (30 %) against `fulcrum serve`.
-- Environment: OPERATOR_KEY (bearer key), ACCOUNTS (funded accounts 0..ACCOUNTS-1), BATCH (items per request:
-- 1 posts each write to its own route, N > 1 posts N mixed items to POST /v1/batch).
local key = os.getenv("OPERATOR_KEY")
local accounts = tonumber(os.getenv("ACCOUNTS") or "1000")
local batch = tonumber(os.getenv("BATCH") or "1")
local counter = 0
local threads = {}
local statuses = {}
rejectedItems = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

function init(args)
    math.randomseed(1000 + id)
    wrk.headers["Authorization"] = "Bearer " .. key
    wrk.headers["Content-Type"] = "application/json"
end

-- One write as (route, body fields): 70 % fills between random funded accounts, 30 % index + mark updates.
local function write()
    local price = string.format("%.1f", 59950 + math.random(0, 1000) / 10)
    if math.random() < 0.7 then
        local buyer = math.random(0, accounts - 1)
        local seller = (buyer + math.random(1, accounts - 1)) % accounts
        local size = string.format("%.3f", math.random(1, 20) / 1000)
        return "/v1/fills", "fill", '"market":"BTCUSDT","buyer":' .. buyer .. ',"seller":' .. seller ..
            ',"size":"' .. size .. '","price":"' .. price .. '"'
    end
    return "/v1/prices", "prices", '"market":"BTCUSDT","index":"' .. price .. '","mark":"' .. price .. '"'
end

function request()
    if batch <= 1 then
        local path, _, fields = write()
        return wrk.format("POST", path, nil, "{" .. fields .. "}")
    end
    local items = {}
    for i = 1, batch do
        local _, type, fields = write()
        items[i] = '{"type":"' .. type .. '",' .. fields .. "}"
    end
    return wrk.format("POST", "/v1/batch", nil, '{"items":[' .. table.concat(items, ",") .. "]}")
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if batch > 1 and status == 200 then
        local _, rejected = string.gsub(body, '"status":4', "")
        rejectedItems = rejectedItems + rejected
    end
end

function done(summary, latency, requests)
    io.write(string.format("requests %d, errors: connect %d read %d write %d status %d timeout %d\n",
        summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
        summary.errors.status, summary.errors.timeout))
    io.write(string.format("latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms\n",
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency:percentile(99.9) / 1000, latency.max / 1000))
    io.write(string.format("throughput %.0f requests/s (%d items each)\n",
        summary.requests / (summary.duration / 1e6), batch))
    if batch > 1 then
        local rejected = 0
        for _, thread in ipairs(threads) do rejected = rejected + (thread:get("rejectedItems") or 0) end
        io.write(string.format("batch items rejected by the engine: %d\n", rejected))
    end
end
