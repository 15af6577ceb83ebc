-- The bench's request mixes for wrk: `wrk ... -s mix.lua URL -- RUN MIX`.
--
-- MIX read (default): DescribeRepositories (one named repository), ListImages and DescribeImages
--   of that repository, DescribePullThroughCacheRules, in turn.
-- MIX write: CreateRepository of a new name, PutImage (a tagged, empty OCI index: no blobs to
--   upload) into the repository this thread created LAG rounds before, DeleteRepository (force) of
--   the one created 2*LAG rounds before, in turn. The lag keeps a repository's three calls in order
--   although the thread's connections answer out of order (a thread has at most CONNECTIONS/THREADS
--   requests outstanding, far fewer than the 3*LAG between a repository's calls; a call that waits
--   while its thread's other connections make 3*LAG calls is overtaken, and its answer, an error,
--   counts in non2xx: with LAG 16 a server without a common queue saw 0.05% of them). The rounds before the
--   first, -2*LAG to -1 (named `pN`), are run.sh's to create before the run (`prepare_write`).
-- MIX mixed: the mix of the first bench (CreateRepository, DescribeRepositories,
--   DescribePullThroughCacheRules).
--
-- RUN makes the run's repository names unique, so repeated runs against one server create
-- repositories too. Requests carry a SigV4-shaped Authorization header (region ap-northeast-1);
-- no server verifies it in this mode.
local threads = {}
local id = 0
local counter = 0
local run = "0"
local mix = "read"
local LAG = 32

function setup(thread)
    id = id + 1
    thread:set("tid", id)
    table.insert(threads, thread)
end

function init(args)
    if args[1] then run = args[1] end
    if args[2] then mix = args[2] end
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

local function name(round)
    local n = round >= 0 and tostring(round) or ("p" .. tostring(-round))
    return "bench/w" .. run .. "-t" .. tostring(tid) .. "-" .. n
end

-- An OCI image index with no manifests: a valid PutImage that references no blob.
local index = '{\\"schemaVersion\\":2,\\"mediaType\\":\\"application/vnd.oci.image.index.v1+json\\",\\"manifests\\":[]}'

local function read(k)
    if k == 0 then
        return call("DescribeRepositories", '{"repositoryNames":["bench/seed"]}')
    elseif k == 1 then
        return call("ListImages", '{"repositoryName":"bench/seed"}')
    elseif k == 2 then
        return call("DescribeImages", '{"repositoryName":"bench/seed"}')
    else
        return call("DescribePullThroughCacheRules", '{}')
    end
end

local function write(round, k)
    if k == 0 then
        return call("CreateRepository", '{"repositoryName":"' .. name(round) .. '"}')
    elseif k == 1 then
        return call("PutImage", '{"repositoryName":"' .. name(round - LAG) .. '","imageTag":"v1","imageManifest":"' .. index .. '"}')
    else
        return call("DeleteRepository", '{"repositoryName":"' .. name(round - 2 * LAG) .. '","force":true}')
    end
end

local function mixed(k)
    if k == 0 then
        return call("CreateRepository", '{"repositoryName":"bench/r' .. run .. '-t' .. tostring(tid) .. '-' .. tostring(counter) .. '"}')
    elseif k == 1 then
        return call("DescribeRepositories", '{"repositoryNames":["bench/seed"]}')
    else
        return call("DescribePullThroughCacheRules", '{}')
    end
end

function request()
    counter = counter + 1
    if mix == "write" then
        return write(math.floor((counter - 1) / 3), (counter - 1) % 3)
    elseif mix == "mixed" then
        return mixed(counter % 3)
    else
        return read(counter % 4)
    end
end

function done(summary, latency, requests)
    io.write(string.format("RESULT requests=%d duration_us=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
        summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
