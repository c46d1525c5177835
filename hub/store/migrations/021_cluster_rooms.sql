-- Which rooms each hub node has connected (issue 14, hub/cluster): carried by the heartbeat, so any node can
-- say whether a room is online and publishing, wherever its gateway is connected. [{"id": "...", "publishing": true}]
ALTER TABLE cluster_nodes ADD COLUMN rooms jsonb NOT NULL DEFAULT '[]'::jsonb;
