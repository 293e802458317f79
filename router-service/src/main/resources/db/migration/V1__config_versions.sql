-- Versions of the routing configuration edited through the admin API (append-only).
-- Plain SQL that H2 (default, file under coe.data-dir) and PostgreSQL (profile postgres) both accept.
CREATE TABLE coe_config_version (
    version_no     BIGINT        NOT NULL PRIMARY KEY,
    draft          BOOLEAN       NOT NULL,
    parent_no      BIGINT,
    author         VARCHAR(200)  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    change_comment VARCHAR(2000) NOT NULL,
    config_json    TEXT          NOT NULL
);
CREATE INDEX coe_config_version_live ON coe_config_version (draft, version_no);
