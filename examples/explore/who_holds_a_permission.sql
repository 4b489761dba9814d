-- Which security profiles grant a permission, and the users who hold them.
SELECT s.security_profile_name, u.username
FROM aws.connect.security_profiles s, json_each(s.permissions) p,
     aws.connect.users u, json_each(u.security_profile_arns) a
WHERE s.region = 'us-east-1' AND u.region = 'us-east-1' AND data__InstanceId = 'acme-support'
  AND p.value = 'ReportsAdmin.Access' AND a.value = s.security_profile_arn
ORDER BY s.security_profile_name, u.username;
