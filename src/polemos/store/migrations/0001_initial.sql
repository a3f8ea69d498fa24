-- polemos store, schema version 1.
-- Written once for both databases: {id} is the auto-numbered primary key, {float} a double, {bigint} a 64-bit
-- integer. Dates are ISO strings (YYYY-MM-DD), JSON is text. Statements are separated by blank-line-free ";\n".

-- Every article once, by the hash of its content as read (text or HTML).
CREATE TABLE documents (
    id {id},
    content_hash TEXT NOT NULL UNIQUE,
    doc_key TEXT NOT NULL,              -- the input's id ("report_12", "feed.xml#3")
    url TEXT,
    title TEXT,
    outlet TEXT,                        -- site or wire named by the document
    date TEXT,                          -- publication date
    language TEXT,
    origin TEXT,                        -- file, "feed.jsonl:12", "crawl.warc.gz#7"
    text TEXT NOT NULL,                 -- the text that every span indexes
    result TEXT NOT NULL,               -- the JSON object `polemos extract` printed for it
    errors TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_date ON documents (date);

-- Actors, canonical across documents: one row per dictionary code, or per name + country + sector.
CREATE TABLE actors (
    id {id},
    actor_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT,
    sector TEXT,
    type TEXT NOT NULL,
    code TEXT,
    known INTEGER NOT NULL,
    name_folded TEXT NOT NULL           -- lower-cased name, for look-ups
);
CREATE INDEX actors_name ON actors (name_folded);
CREATE INDEX actors_code ON actors (code);
CREATE INDEX actors_country ON actors (country);

CREATE TABLE actor_aliases (
    actor_id {bigint} NOT NULL REFERENCES actors (id),
    alias TEXT NOT NULL,
    alias_folded TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (actor_id, alias)
);
CREATE INDEX actor_aliases_folded ON actor_aliases (alias_folded);

-- Affiliations stated in a document, or in the actor dictionary, with the evidence.
CREATE TABLE relations (
    id {id},
    actor_id {bigint} NOT NULL REFERENCES actors (id),
    relation TEXT NOT NULL,             -- backed_by, allied_with, part_of, led_by, fighting
    other_id {bigint} NOT NULL REFERENCES actors (id),
    document_id {bigint} NOT NULL REFERENCES documents (id),
    date TEXT,                          -- the document's date
    sentence TEXT,
    span_start INTEGER,
    span_end INTEGER,
    origin TEXT NOT NULL                -- text, event, dictionary
);
CREATE INDEX relations_actor ON relations (actor_id);
CREATE INDEX relations_other ON relations (other_id);
CREATE INDEX relations_document ON relations (document_id);

CREATE TABLE places (
    id {id},
    place_key TEXT NOT NULL UNIQUE,     -- "geonames:<id>" or "name:<name>|<country>"
    name TEXT NOT NULL,
    geonameid {bigint},
    lat {float},
    lon {float},
    country TEXT,
    admin1 TEXT,
    feature TEXT
);

-- Merged events: one row per real event, built from its mentions.
CREATE TABLE events (
    id {id},
    type TEXT NOT NULL,
    mode TEXT,
    context TEXT NOT NULL DEFAULT '[]',
    cameo TEXT,
    acled_event_type TEXT,
    acled_sub_event_type TEXT,
    date_start TEXT,
    date_end TEXT,
    date_precision TEXT NOT NULL,
    sort_date TEXT,                     -- the day the event is filed under: start, else end
    place_id {bigint} REFERENCES places (id),
    location TEXT,
    lat {float},
    lon {float},
    country TEXT,
    admin1 TEXT,
    location_precision TEXT,
    fatalities INTEGER,
    injured INTEGER,
    mention_count INTEGER NOT NULL,
    document_count INTEGER NOT NULL,
    outlets TEXT NOT NULL DEFAULT '[]',
    claim_status TEXT,                  -- asserted if any report asserts it, else alleged, else denied
    contested INTEGER NOT NULL DEFAULT 0,
    sentence TEXT
);
CREATE INDEX events_sort_date ON events (sort_date, id);
CREATE INDEX events_type_date ON events (type, sort_date, id);
CREATE INDEX events_country_date ON events (country, sort_date, id);
CREATE INDEX events_lat_lon ON events (lat, lon);
CREATE INDEX events_contested_date ON events (contested, sort_date, id);

-- An event as coded in one sentence of one document.
CREATE TABLE mentions (
    id {id},
    document_id {bigint} NOT NULL REFERENCES documents (id),
    event_id {bigint} REFERENCES events (id),
    local_id TEXT NOT NULL,             -- the event's id in the document ("e4")
    type TEXT NOT NULL,
    mode TEXT,
    context TEXT NOT NULL DEFAULT '[]',
    cameo TEXT,
    acled_event_type TEXT,
    acled_sub_event_type TEXT,
    date_start TEXT,
    date_end TEXT,
    date_precision TEXT NOT NULL,
    date_text TEXT,
    place_id {bigint} REFERENCES places (id),
    location TEXT,                      -- the location record as JSON
    lat {float},
    lon {float},
    country TEXT,
    fatalities INTEGER,
    injured INTEGER,
    negated INTEGER NOT NULL,
    hypothetical INTEGER NOT NULL,
    future INTEGER NOT NULL,
    claim_status TEXT NOT NULL,
    claim_speaker TEXT,                 -- the speaker record as JSON
    claim_cue TEXT,
    claim_disputed_by TEXT NOT NULL DEFAULT '[]', -- local ids of the denials the article reports
    sentence TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    trigger_text TEXT,
    trigger_start INTEGER,
    trigger_end INTEGER,
    salience {float},
    coded_by TEXT,
    confidence {float},
    merge_reason TEXT                   -- why the mention joined its event, as JSON
);
CREATE INDEX mentions_document ON mentions (document_id);
CREATE INDEX mentions_event ON mentions (event_id);

CREATE TABLE mention_actors (
    mention_id {bigint} NOT NULL REFERENCES mentions (id),
    actor_id {bigint} NOT NULL REFERENCES actors (id),
    role TEXT NOT NULL,                 -- source, target
    text TEXT,
    span_start INTEGER,
    span_end INTEGER
);
CREATE INDEX mention_actors_mention ON mention_actors (mention_id);

-- The actors of a merged event, with its date, so that "events of X, newest first" reads one index.
CREATE TABLE event_actors (
    event_id {bigint} NOT NULL REFERENCES events (id),
    actor_id {bigint} NOT NULL REFERENCES actors (id),
    role TEXT NOT NULL,
    sort_date TEXT,
    PRIMARY KEY (event_id, actor_id, role)
);
CREATE INDEX event_actors_actor_date ON event_actors (actor_id, sort_date, event_id);

-- Who says an event happened (or did not): one claim per mention.
CREATE TABLE claims (
    id {id},
    mention_id {bigint} NOT NULL REFERENCES mentions (id),
    event_id {bigint} REFERENCES events (id),
    speaker_kind TEXT NOT NULL,         -- actor, outlet
    speaker_actor_id {bigint} REFERENCES actors (id),
    speaker_name TEXT,
    status TEXT NOT NULL,               -- asserted, alleged, denied
    cue TEXT,
    sort_date TEXT
);
CREATE INDEX claims_event ON claims (event_id);
CREATE INDEX claims_mention ON claims (mention_id);
CREATE INDEX claims_speaker_date ON claims (speaker_actor_id, sort_date, event_id);

-- Claims about one event that disagree: one denies what the other asserts or alleges, or they name different
-- perpetrators.
CREATE TABLE claim_links (
    event_id {bigint} NOT NULL REFERENCES events (id),
    claim_id {bigint} NOT NULL REFERENCES claims (id),
    other_claim_id {bigint} NOT NULL REFERENCES claims (id),
    kind TEXT NOT NULL,                 -- denies, other_perpetrator
    PRIMARY KEY (claim_id, other_claim_id, kind)
);
CREATE INDEX claim_links_event ON claim_links (event_id);
