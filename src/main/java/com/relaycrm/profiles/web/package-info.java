@NullMarked
package com.relaycrm.profiles.web;

import org.jspecify.annotations.NullMarked;
