-- Hours of operation that no queue uses.
SELECT h.name, h.time_zone
FROM aws.connect.hours_of_operations h
LEFT JOIN aws.connect.queues q ON q.hours_of_operation_arn = h.hours_of_operation_arn
WHERE h.region = 'us-east-1' AND h.data__InstanceId = 'acme-support'
GROUP BY h.name, h.time_zone
HAVING count(q.queue_arn) = 0
ORDER BY h.name;
