-- Queues whose hours of operation have no Sunday at all, with the hours
-- and their time zone.
SELECT q.name AS queue, h.name AS hours, h.time_zone
FROM aws.connect.queues q
JOIN aws.connect.hours_of_operations h ON h.hours_of_operation_arn = q.hours_of_operation_arn
WHERE q.region = 'us-east-1' AND q.data__InstanceId = 'acme-support' AND q.type = 'STANDARD'
  AND NOT EXISTS (SELECT 1 FROM json_each(h.config) d WHERE d.value ->> '$.Day' = 'SUNDAY')
ORDER BY queue;
