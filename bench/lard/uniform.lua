-- wrk script for the LARD benchmark: GET /doc/N with N uniform over the working set.
-- DOCS (environment) is the working-set size, 4 x the back-ends' cache by default in run.sh.
local docs = tonumber(os.getenv("DOCS") or "2000")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  return wrk.format("GET", "/doc/" .. math.random(0, docs - 1))
end
