-- Agents whose routing profile has no queue at all: they can take no
-- contact. The profile's queue ids come with SearchRoutingProfiles.
SELECT u.username, r.name AS routing_profile
FROM aws.connect.users u
JOIN aws.connect.routing_profiles r ON r.routing_profile_arn = u.routing_profile_arn
WHERE u.region = 'us-east-1' AND u.data__InstanceId = 'acme-support'
  AND json_array_length(r.associated_queue_arns) = 0
ORDER BY u.username;
