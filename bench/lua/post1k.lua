-- wrk: POST a 1 KiB body to /p<N>/items, N cycling over 16 paths (so ordering.key: path has 16
-- keys to run in parallel while key: service has one).
local body = string.rep("x", 1024)
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/p" .. (n % 16) .. "/items",
    {["Content-Type"] = "application/octet-stream"}, body)
end
