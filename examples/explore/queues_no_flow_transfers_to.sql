-- Standard queues that no flow transfers to: every value of every flow's
-- content (json_tree) that names a queue ARN.
SELECT q.name
FROM aws.connect.queues q
WHERE q.region = 'us-east-1' AND q.data__InstanceId = 'acme-support' AND q.type = 'STANDARD'
  AND q.queue_arn NOT IN (
    SELECT t.value
    FROM aws.connect.contact_flows f, json_tree(f.content) t
    WHERE f.region = 'us-east-1' AND f.data__InstanceId = 'acme-support' AND t.key = 'QueueId')
ORDER BY q.name;
