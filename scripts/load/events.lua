-- wrk script: a mix of fills (70 %) and oracle updates (30 %) against `fulcrum serve`.
-- Environment: OPERATOR_KEY (bearer key), ACCOUNTS (funded accounts 0..ACCOUNTS-1).
local key = os.getenv("OPERATOR_KEY")
local accounts = tonumber(os.getenv("ACCOUNTS") or "1000")
local counter = 0
local statuses = {}

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
end

function init(args)
    math.randomseed(1000 + id)
    wrk.headers["Authorization"] = "Bearer " .. key
    wrk.headers["Content-Type"] = "application/json"
end

function request()
    local r = math.random()
    if r < 0.7 then
        local buyer = math.random(0, accounts - 1)
        local seller = (buyer + math.random(1, accounts - 1)) % accounts
        local size = string.format("%.3f", math.random(1, 20) / 1000)
        local price = string.format("%.1f", 59950 + math.random(0, 1000) / 10)
        return wrk.format("POST", "/v1/fills", nil,
            '{"market":"BTCUSDT","buyer":' .. buyer .. ',"seller":' .. seller ..
            ',"size":"' .. size .. '","price":"' .. price .. '"}')
    else
        local price = string.format("%.1f", 59950 + math.random(0, 1000) / 10)
        return wrk.format("POST", "/v1/prices", nil,
            '{"market":"BTCUSDT","index":"' .. price .. '","mark":"' .. price .. '"}')
    end
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    io.write(string.format("requests %d, errors: connect %d read %d write %d status %d timeout %d\n",
        summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
        summary.errors.status, summary.errors.timeout))
    io.write(string.format("latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms\n",
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency:percentile(99.9) / 1000, latency.max / 1000))
    io.write(string.format("throughput %.0f requests/s\n", summary.requests / (summary.duration / 1e6)))
end
