//! Every rule's own examples: those that must fire, and those that must not.

#[test]
fn every_rule_keeps_its_examples() {
    let failures = kintsugi_coach::check_rules();
    assert!(
        failures.is_empty(),
        "{} rule failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
