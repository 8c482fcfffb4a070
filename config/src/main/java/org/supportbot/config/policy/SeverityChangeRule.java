package org.supportbot.config.policy;

/**
 * Who may change a case's severity.
 *
 * @param vendorMayChange whether engineers may set a different severity than the customer chose
 * @param vendorDiscretion whether the vendor's decision is final (Resource Optimizer: "at its sole discretion")
 * @param customerMayRequestDiscussion whether the customer may ask to discuss the severity (recorded on the case)
 */
public record SeverityChangeRule(boolean vendorMayChange, boolean vendorDiscretion, boolean customerMayRequestDiscussion) {}
