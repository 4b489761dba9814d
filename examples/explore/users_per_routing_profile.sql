-- How many users sit on each routing profile of an instance (profiles with
-- none included): the users side takes the profiles' instance through the
-- ARN it is joined on.
SELECT r.name AS routing_profile, count(u.username) AS users
FROM aws.connect.routing_profiles r
LEFT JOIN aws.connect.users u ON u.routing_profile_arn = r.routing_profile_arn
WHERE r.region = 'us-east-1' AND r.data__InstanceId = 'acme-support'
GROUP BY r.name
ORDER BY users DESC, routing_profile;
