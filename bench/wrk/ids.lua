-- Prepended by bench/run.sh to a GET-one script whose ids the server makes up (hashids,
-- UUIDs): `ids` holds the file $IDS_FILE, one id per line, read from the server before the run.
ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  ids[#ids + 1] = line
end
