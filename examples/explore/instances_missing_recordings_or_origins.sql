-- Instances of three regions without call recording storage or without an
-- approved origin: one statement, the storage listing limited to
-- CALL_RECORDINGS by the join's ON condition.
SELECT i.region, i.instance_alias,
       count(DISTINCT c.association_id) AS call_recording_configs,
       count(DISTINCT o.origin) AS approved_origins
FROM aws.connect.instances i
LEFT JOIN aws.connect.instance_storage_configs c
  ON c.instance_arn = i.arn AND c.resource_type = 'CALL_RECORDINGS'
LEFT JOIN aws.connect.approved_origins o ON o.instance_id = i.arn
WHERE i.region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2')
GROUP BY i.region, i.instance_alias
HAVING call_recording_configs = 0 OR approved_origins = 0
ORDER BY i.region, i.instance_alias;
