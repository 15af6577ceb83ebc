-- The bench's request mix for wrk: CreateRepository (a new name each time),
-- DescribeRepositories (one named repository), DescribePullThroughCacheRules, in turn.
-- Requests carry a SigV4-shaped Authorization header (region ap-northeast-1); neither
-- server verifies it in this mode.
local threads = {}
local id = 0
local counter = 0
local run = "0"

function setup(thread)
    id = id + 1
    thread:set("tid", id)
    table.insert(threads, thread)
end

-- `wrk ... -- RUN`: new repository names per run, so that repeated runs against one server
-- create repositories too (instead of getting RepositoryAlreadyExistsException).
function init(args)
    if args[1] then run = args[1] end
end

local auth = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/ap-northeast-1/ecr/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000"

local function call(operation, body)
    return wrk.format("POST", "/", {
        ["Content-Type"] = "application/x-amz-json-1.1",
        ["X-Amz-Target"] = "AmazonEC2ContainerRegistry_V20150921." .. operation,
        ["X-Amz-Date"] = "20250101T000000Z",
        ["Authorization"] = auth,
    }, body)
end

function request()
    counter = counter + 1
    local k = counter % 3
    if k == 0 then
        return call("CreateRepository", '{"repositoryName":"bench/r' .. run .. '-t' .. tostring(tid) .. '-' .. tostring(counter) .. '"}')
    elseif k == 1 then
        return call("DescribeRepositories", '{"repositoryNames":["bench/seed"]}')
    else
        return call("DescribePullThroughCacheRules", '{}')
    end
end

function done(summary, latency, requests)
    io.write(string.format("RESULT requests=%d duration_us=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
        summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
