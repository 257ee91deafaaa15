// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Musubi
import TypedStores
import TypedStoresFixture

// The generated module TypedStores (tests/codegen/manifest) from QML: typed properties,
// enums, child stores, lists of child stores as models, commands as Promises, events.
TestCase {
    id: testCase
    name: "TypedStores"
    when: windowShown

    TypedServer {
        id: server
    }
    MusubiConnection {
        id: conn
        url: server.url
    }
    TypedInboxRoot {
        id: root
        connection: conn
        instanceId: "qml-inbox"
        params: ({ folder: "Q" })
    }
    SignalSpy {
        id: mailSpy
        target: root.state
        signalName: "newMail"
    }
    ListView {
        id: view
        width: 200
        height: 200
        model: root.state ? root.state.messages : null
        delegate: Text {
            required property TypedMessage store
            text: store.subject
        }
    }

    // get() returns the base type MusubiTypedStore: read a row's own fields untyped.
    function subjectOf(row) {
        return row ? row.subject : "";
    }

    function untyped(store, key) {
        return store[key];
    }

    function initTestCase() {
        tryVerify(() => root.state !== null && root.ready, 5000);
    }

    function test_a_fields() {
        const inbox = root.state;
        compare(inbox.title, "Q");
        compare(inbox.unreadCount, 2);
        compare(inbox.ratio, 0.5);
        compare(inbox.note, null);
        compare(inbox.priority, TypedInbox.High);
        compare(inbox.tags, ["a", "b"]);
        compare(inbox.scores.length, 3);
        compare(inbox.shipping.gift, true);
        compare(inbox.price.currency, "EUR");
        compare(inbox.featured.subject, "Pinned");
        compare(inbox.messages.count, 2);
        compare(subjectOf(inbox.messages.get(1)), "Subject m2");
        compare(inbox.totals.status, MusubiAsync.Loading);
        compare(inbox.totals.result, null);
        compare(inbox.class_, "primary");
        verify(inbox.attachment !== null);
        compare(untyped(inbox.store, "undeclared"), "only in the untyped store");
        tryCompare(view, "count", 2);
    }

    function test_b_commands() {
        const inbox = root.state;
        let reply = null;
        inbox.markRead("m2").then(r => reply = r);
        tryVerify(() => reply !== null);
        compare(reply.count, 1);
        tryCompare(inbox, "unreadCount", 1);
        tryCompare(inbox.messages.get(1), "read", true);

        inbox.setFilter(TypedInbox.NeedsReview);
        tryCompare(inbox, "filter", TypedInbox.NeedsReview);
        compare(untyped(inbox.store, "filter"), "needs-review");

        let failure = null;
        inbox.fail().then(() => {}, e => failure = e);
        tryVerify(() => failure !== null);
        compare(failure.code, "nope");
        compare(failure.kind, MusubiCommandError.Failed);

        // An argument of the wrong type: rejected, nothing sent.
        let refused = null;
        inbox.markRead(42).then(() => {}, e => refused = e);
        tryVerify(() => refused !== null);
        verify(refused.message.indexOf("markRead") >= 0, refused.message);
        compare(inbox.unreadCount, 1);

        inbox.refresh();
        tryCompare(inbox.totals, "status", MusubiAsync.Ok);
        compare(inbox.totals.result.sum, 42);
    }

    function test_c_events() {
        server.pushEvent("new_mail", { subject: "Hi", from: "ada" });
        mailSpy.wait();
        compare(mailSpy.signalArguments[0][0].subject, "Hi");
        compare(mailSpy.signalArguments[0][0].from, "ada");
    }

    function test_d_listFollowsRows() {
        server.addMessage("m3", "Third");
        tryCompare(root.state.messages, "count", 3);
        tryCompare(view, "count", 3);
        compare(subjectOf(root.state.messages.get(0)), "Third");
        server.removeMessage("m3");
        tryCompare(view, "count", 2);
    }
}
