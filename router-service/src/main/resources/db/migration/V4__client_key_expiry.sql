-- When a client key stops working by itself; NULL: never.
ALTER TABLE coe_client_key ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
