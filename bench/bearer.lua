-- Sends an API token (env DJ_TOKEN) with every request.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("DJ_TOKEN")
