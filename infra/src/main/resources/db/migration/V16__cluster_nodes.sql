-- The nodes of a cluster sharing this database (ClusterNodeRegistry): each process upserts its row every
-- rag.cluster.heartbeat-interval and deletes it on a graceful shutdown. A node whose heartbeat is older than
-- rag.cluster.node-timeout is dead: it no longer counts in the fair share of segments, and its row is pruned an
-- hour after its last heartbeat. Times are the database's (now()), so nodes' clocks need not agree.
CREATE TABLE cluster_nodes (
    node_id        TEXT        PRIMARY KEY,
    roles          TEXT[]      NOT NULL,
    -- the streaming event processors this node runs (only these count in a processor's fair share)
    processors     TEXT[]      NOT NULL DEFAULT '{}',
    advertised_url TEXT,
    host           TEXT        NOT NULL,
    pid            BIGINT      NOT NULL,
    started_at     TIMESTAMPTZ NOT NULL,
    heartbeat_at   TIMESTAMPTZ NOT NULL
);

-- An operator's request that the owner of a segment give it up (POST /api/admin/cluster/processors/{p}/segments/
-- {s}/release). Pending while released_at is NULL: the owner picks it up on its next heartbeat. Once released, the
-- row stays for the release window so the other nodes keep room to claim the segment, then it is deleted;
-- a request nobody picked up within a minute is dropped.
CREATE TABLE cluster_segment_releases (
    processor_name TEXT        NOT NULL,
    segment        INTEGER     NOT NULL,
    requested_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    requested_by   TEXT        NOT NULL,
    released_at    TIMESTAMPTZ,
    released_by    TEXT,
    PRIMARY KEY (processor_name, segment)
);
