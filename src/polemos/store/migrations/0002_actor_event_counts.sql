-- polemos store, schema version 2: each actor's number of merged events, kept by the merger, so that
-- "actors, most active first" reads one index instead of counting every event_actors row.

ALTER TABLE actors ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
UPDATE actors SET event_count = (SELECT COUNT(DISTINCT ea.event_id) FROM event_actors ea WHERE ea.actor_id = actors.id);
CREATE INDEX actors_event_count ON actors (event_count, name);
