/**
 * Support hours: a time zone, weekly windows, holidays and overrides. Start at
 * {@link org.supportbot.config.calendar.BusinessCalendar}; the arithmetic on it lives in bot-core's {@code sla} package.
 */
package org.supportbot.config.calendar;
