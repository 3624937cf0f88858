-- Sends the session cookie of a logged-in user (env DJ_COOKIE) with every request.
wrk.headers["Cookie"] = os.getenv("DJ_COOKIE")
