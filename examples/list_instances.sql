-- list_resources across regions, fanned out concurrently.
SELECT region, instance_alias, instance_status, created_time
FROM aws.connect.instances
WHERE region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2')
ORDER BY region, instance_alias;
