-- wrk script for bench/digest.sh: template sends as wxbridge makes them (a mini-program link,
-- two fields), each with its own client_msg_id so the fake records every one as a delivery
-- instead of answering from its dedup window. TOUSER (environment) is a follower's openid.
local touser = os.getenv("TOUSER")
local counter = 0
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"touser":"%s","template_id":"TPL_DAILY","miniprogram":{"appid":"wxfakemp",' ..
    '"pagepath":"pages/inbox/index"},"client_msg_id":"wrk-%d-%d","data":{"keyword1":' ..
    '{"value":"MyApp"},"keyword2":{"value":"chats: 2, invites: 1"}}}',
    touser, tid, counter)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
