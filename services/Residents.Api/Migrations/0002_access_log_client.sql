-- With partner authentication the access log names the partner and the client that read personal data.
ALTER TABLE personal_data_access_log ADD COLUMN partner_id uuid;
ALTER TABLE personal_data_access_log ADD COLUMN client_id text;
