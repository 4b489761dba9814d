-- Which instances have Contact Lens on? JSON access into attributes.
SELECT region, instance_alias,
       json_extract(attributes, '$.ContactLens') AS contact_lens,
       json_extract(attributes, '$.ContactflowLogs') AS flow_logs
FROM aws.connect.instances
WHERE region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2')
ORDER BY contact_lens DESC, instance_alias;

-- Instances per region and identity management type.
SELECT region, identity_management_type, count(*) AS instances
FROM aws.connect.instances
WHERE region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2')
GROUP BY region, identity_management_type
ORDER BY region;
