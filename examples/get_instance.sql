-- The seed's get_resource statement: one instance by alias, id or ARN.
SELECT region, id, arn, identity_management_type, instance_alias, created_time,
       service_role, instance_status, directory_id, attributes, tags
FROM aws.connect.instance
WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';
