-- Inbound flows that no phone number reaches.
SELECT f.name
FROM aws.connect.contact_flows f
WHERE f.region = 'us-east-1' AND f.data__InstanceId = 'acme-support' AND f.type = 'CONTACT_FLOW'
  AND f.contact_flow_arn NOT IN (
    SELECT p.contact_flow_arn FROM aws.connect.phone_numbers p
    WHERE p.region = 'us-east-1' AND p.data__InstanceId = 'acme-support' AND p.contact_flow_arn IS NOT NULL)
ORDER BY f.name;
