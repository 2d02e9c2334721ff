-- schema.sql: the table that the client tests put next to the enum
-- endpoint_type (shell_db.sql, test_python.py, node/test_node.mjs): a COLLATE
-- DYNENUM column whose CHECK accepts only members, and a generated column of
-- canonical values with an index.  Every client reads this one file, so
-- that they all test the same schema.
CREATE TABLE requests(
  id INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL COLLATE DYNENUM
    CHECK (dynenum_is_member('endpoint_type', endpoint)),
  canonical TEXT AS (dynenum_resolve('endpoint_type', endpoint))
);
CREATE INDEX requests_canonical ON requests(canonical);
