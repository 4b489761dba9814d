//! Phone numbers (metadata, flow association, release, moves between
//! instances) and the exact wire answers of the new writes.

use super::*;
use aws_sdk_connect::types::{ListFlowAssociationResourceType, OutboundCallerConfig};
use serde_json::{json, Value};

#[tokio::test]
async fn phone_number_metadata_flow_release_and_move() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "numbers").await;
    let other = new_instance(&c, "numbers2").await;
    let claim = |number: &'static str| {
        c.claim_phone_number()
            .instance_id(&inst)
            .phone_number(number)
            .send()
    };
    let main = claim("+18005550111")
        .await
        .unwrap()
        .phone_number_id()
        .unwrap()
        .to_string();
    let spare = claim("+13125550122")
        .await
        .unwrap()
        .phone_number_id()
        .unwrap()
        .to_string();

    c.update_phone_number_metadata()
        .phone_number_id(&main)
        .phone_number_description("Main line")
        .send()
        .await
        .unwrap();
    let described = c
        .describe_phone_number()
        .phone_number_id(&main)
        .send()
        .await
        .unwrap();
    let n = described.claimed_phone_number_summary().unwrap();
    assert_eq!(n.phone_number_description(), Some("Main line"));

    // Flow association and disassociation, read back by ListFlowAssociations.
    let flow = new_flow(&c, &inst, "Inbound").await;
    c.associate_phone_number_contact_flow()
        .phone_number_id(&main)
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .send()
        .await
        .unwrap();
    c.disassociate_phone_number_contact_flow()
        .phone_number_id(&main)
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    let assoc = c
        .list_flow_associations()
        .instance_id(&inst)
        .resource_type(ListFlowAssociationResourceType::VoicePhoneNumber)
        .send()
        .await
        .unwrap();
    assert!(assoc.flow_association_summary_list().is_empty());
    let again = c
        .disassociate_phone_number_contact_flow()
        .phone_number_id(&main)
        .instance_id(&inst)
        .send()
        .await;
    assert_eq!(failure(again), is(404, "ResourceNotFoundException"));

    // A number a queue calls out with is in use.
    let queue = basic_queue(&c, &inst).await;
    c.update_queue_outbound_caller_config()
        .instance_id(&inst)
        .queue_id(&queue)
        .outbound_caller_config(
            OutboundCallerConfig::builder()
                .outbound_caller_id_number_id(&main)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let in_use = c.release_phone_number().phone_number_id(&main).send().await;
    assert_eq!(failure(in_use), is(409, "ResourceInUseException"));
    c.update_queue_outbound_caller_config()
        .instance_id(&inst)
        .queue_id(&queue)
        .outbound_caller_config(
            OutboundCallerConfig::builder()
                .outbound_caller_id_name("Reception")
                .build(),
        )
        .send()
        .await
        .unwrap();
    c.release_phone_number()
        .phone_number_id(&main)
        .client_token("release-main")
        .send()
        .await
        .unwrap();
    // The same token again: the same (empty) answer, not a 404.
    c.release_phone_number()
        .phone_number_id(&main)
        .client_token("release-main")
        .send()
        .await
        .unwrap();
    let gone = c
        .describe_phone_number()
        .phone_number_id(&main)
        .send()
        .await;
    assert_eq!(failure(gone), is(404, "ResourceNotFoundException"));
    let reused = c
        .release_phone_number()
        .phone_number_id(&spare)
        .client_token("release-main")
        .send()
        .await;
    assert_eq!(failure(reused), is(409, "IdempotencyException"));

    // Move the spare number to the other instance.
    let moved = c
        .update_phone_number()
        .phone_number_id(&spare)
        .instance_id(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.phone_number_id(), Some(spare.as_str()));
    let described = c
        .describe_phone_number()
        .phone_number_id(&spare)
        .send()
        .await
        .unwrap();
    let n = described.claimed_phone_number_summary().unwrap();
    assert_eq!(n.instance_id(), Some(other.as_str()));
    assert!(n
        .target_arn()
        .unwrap()
        .ends_with(&format!("instance/{other}")));
    let listed = |inst: String| {
        let c = c.clone();
        async move {
            c.list_phone_numbers_v2()
                .instance_id(inst)
                .send()
                .await
                .unwrap()
                .list_phone_numbers_summary_list()
                .iter()
                .filter_map(|p| p.phone_number().map(str::to_string))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(other.clone()).await, ["+13125550122"]);
    assert!(listed(inst.clone()).await.is_empty());
    let no_target = c.update_phone_number().phone_number_id(&spare).send().await;
    assert_eq!(failure(no_target), is(400, "InvalidParameterException"));
    let unknown = c
        .update_phone_number_metadata()
        .phone_number_id("00000000-0000-4000-8000-000000000000")
        .phone_number_description("x")
        .send()
        .await;
    assert_eq!(failure(unknown), is(404, "ResourceNotFoundException"));
}

/// A raw API request with a SigV4-shaped Authorization header (the endpoint
/// reads the region from it): (status, body text).
async fn raw(
    emu: &RunningEmulator,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, String) {
    let req = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .request(method.parse().unwrap(), format!("{}{path}", emu.url()))
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/connect/aws4_request, \
             SignedHeaders=host, Signature=0",
        );
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn wire_answers_of_the_new_writes() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "wire").await;
    let prompt = c
        .create_prompt()
        .instance_id(&inst)
        .name("Hold")
        .s3_uri("s3://bucket/hold.wav")
        .send()
        .await
        .unwrap();
    let prompt_id = prompt.prompt_id().unwrap();

    // UpdatePrompt answers exactly botocore's UpdatePromptResponse members.
    let (status, body) = raw(
        &emu,
        "POST",
        &format!("/prompts/{inst}/{prompt_id}"),
        Some(json!({"Description": "Hold music"})),
    )
    .await;
    assert_eq!(status, 200);
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        answer,
        json!({"PromptARN": prompt.prompt_arn().unwrap(), "PromptId": prompt_id})
    );

    // Operations without output members answer 200 with an empty body.
    let (status, body) = raw(
        &emu,
        "DELETE",
        &format!("/prompts/{inst}/{prompt_id}"),
        None,
    )
    .await;
    assert_eq!((status, body.as_str()), (200, ""));

    // UpdatePhoneNumber answers the id and ARN; the metadata call nothing;
    // a ClientToken retry answers the first answer.
    let claimed = c
        .claim_phone_number()
        .instance_id(&inst)
        .phone_number("+18005550177")
        .send()
        .await
        .unwrap();
    let number = claimed.phone_number_id().unwrap();
    let (status, body) = raw(
        &emu,
        "PUT",
        &format!("/phone-number/{number}"),
        Some(json!({"InstanceId": inst, "ClientToken": "stay"})),
    )
    .await;
    assert_eq!(status, 200);
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        answer,
        json!({"PhoneNumberId": number, "PhoneNumberArn": claimed.phone_number_arn().unwrap()})
    );
    let metadata = json!({"PhoneNumberDescription": "Toll free", "ClientToken": "describe-1"});
    for _ in 0..2 {
        let (status, body) = raw(
            &emu,
            "PUT",
            &format!("/phone-number/{number}/metadata"),
            Some(metadata.clone()),
        )
        .await;
        assert_eq!((status, body.as_str()), (200, ""));
    }
    let (status, body) = raw(
        &emu,
        "PUT",
        &format!("/phone-number/{number}/metadata"),
        Some(json!({"PhoneNumberDescription": "Other", "ClientToken": "describe-1"})),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("IdempotencyException"), "{body}");
    let described = c
        .describe_phone_number()
        .phone_number_id(number)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described
            .claimed_phone_number_summary()
            .and_then(|n| n.phone_number_description()),
        Some("Toll free")
    );

    // Query members: DisassociateApprovedOrigin needs `origin`.
    let (status, body) = raw(
        &emu,
        "DELETE",
        &format!("/instance/{inst}/approved-origin"),
        None,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("InvalidParameterException"), "{body}");
}
