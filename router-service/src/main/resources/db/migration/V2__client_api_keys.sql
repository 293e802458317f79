-- Client API keys for /v1/** (created and revoked through the admin API). Only a SHA-256 hash of each key is kept:
-- keys are 256-bit random tokens, so a fast hash is as safe as a slow one and lets every request be checked in memory.
CREATE TABLE coe_client_key (
    key_id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    name               VARCHAR(200)  NOT NULL,
    key_hash           CHAR(64)      NOT NULL UNIQUE,
    key_prefix         VARCHAR(20)   NOT NULL,
    allowed_models     VARCHAR(4000) NOT NULL,
    allowed_categories VARCHAR(4000) NOT NULL,
    requests_per_minute INTEGER,
    token_budget       BIGINT,
    tokens_used        BIGINT        NOT NULL,
    created_by         VARCHAR(200)  NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at         TIMESTAMP WITH TIME ZONE
);
