-- Autosave under load: each request adds one timestamped evidence line and its text, with fresh
-- idempotency keys, the way the phone sends a new line of notes.
local path = os.getenv("AUTOSAVE_PATH")
local field = os.getenv("AUTOSAVE_FIELD")
local counter = 0
local threads = {}

setup = function(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

init = function(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-CSRFToken"] = os.getenv("CSRF_TOKEN")
end

request = function()
  counter = counter + 1
  local entry = string.format("wrk%02d-%012d", thread_id or 0, counter)
  local body = string.format(
    '{"changes": [{"key": "a%s", "op": "add_evidence", "field": "%s", "entry": "%s", "recorded_at": %d}, '
    .. '{"key": "t%s", "op": "text", "slot": "evidence:%s", "value": "Students compared methods %d", '
    .. '"base": "", "base_revision": 0}]}',
    entry, field, entry, os.time() * 1000, entry, entry, counter)
  return wrk.format("POST", path, nil, body)
end
dofile(os.getenv("REPORT_LUA"))
