-- The 三长制 of seed 003 (issue 10 §9, SPEC M9): 片长、组长、邻长, members or
-- residents responsible for parts of a grid, who collect 社情民意 from the
-- residents they cover and place them as orders on their behalf.
CREATE TABLE grid_leaders (
  id @ID@,
  grid_id BIGINT NOT NULL REFERENCES grids(id),
  role TEXT NOT NULL,                        -- 片长 组长 邻长
  name TEXT NOT NULL,                        -- a party member's or a resident's name
  phone TEXT NOT NULL DEFAULT '',
  area TEXT NOT NULL DEFAULT '',             -- the households or the area they cover
  user_id BIGINT REFERENCES users(id),       -- their login, when they place orders themselves
  created_at BIGINT NOT NULL,
  removed_at BIGINT                          -- kept after removal: their collected orders still count
);
CREATE INDEX grid_leaders_grid ON grid_leaders(grid_id);
CREATE INDEX grid_leaders_user ON grid_leaders(user_id);

-- Who collected an order placed on a resident's behalf (one row per order,
-- kept by the grids module beside the orders table): the 三长 it counts for,
-- and the account that typed it in (the 三长 themself, or the branch).
CREATE TABLE order_collectors (
  order_id BIGINT PRIMARY KEY REFERENCES orders(id),
  leader_id BIGINT NOT NULL REFERENCES grid_leaders(id),
  entered_by BIGINT REFERENCES users(id),
  at BIGINT NOT NULL
);
CREATE INDEX order_collectors_leader ON order_collectors(leader_id);
