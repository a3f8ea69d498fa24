-- polemos store, schema version 3: the place index also holds each event's date, so that "events near X,
-- newest first" sorts the events in the box from the index alone instead of reading each one's row.

CREATE INDEX events_lat_lon_date ON events (lat, lon, sort_date, id);
DROP INDEX events_lat_lon;
