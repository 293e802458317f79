-- A client key's tokens per minute (prompt and completion), beside its requests per minute; NULL: no such limit.
ALTER TABLE coe_client_key ADD COLUMN tokens_per_minute INTEGER;
