@NullMarked
package com.relaycrm.fieldservice.domain;

import org.jspecify.annotations.NullMarked;
