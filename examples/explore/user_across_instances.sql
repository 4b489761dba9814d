-- Where a user exists across all the instances of three regions: one
-- statement, every instance searched concurrently, the username pushed into
-- SearchUsers.
SELECT i.region, i.instance_alias, u.username, u.routing_profile_arn
FROM aws.connect.users u
JOIN aws.connect.instances i ON i.arn = u.instance_arn
WHERE u.region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2') AND u.username = 'platform.admin'
ORDER BY i.region, i.instance_alias;
