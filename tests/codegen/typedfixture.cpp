// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "typedfixture.h"

#include <musubitestreply.h>

#include <QtCore/QJsonArray>

using namespace Qt::StringLiterals;

TypedFixture::TypedFixture(QObject *parent)
    : QObject(parent)
    , m_server(new MusubiTestServer(this))
{
    m_server->registerRoot(u"Typed.Inbox"_s, [this](const MusubiTestMount &mount, QString *) {
        return createInbox(mount.params);
    });
    if (!m_server->listen())
        qFatal("TypedFixture: cannot listen on 127.0.0.1");
}

QUrl TypedFixture::url() const
{
    return m_server->url();
}

MusubiTestStore *TypedFixture::createInbox(const QJsonObject &params)
{
    auto *root = new MusubiTestStore;
    m_inbox = root;
    root->declareUpload(u"attachment"_s);
    root->setState({
            {u"title"_s, params.value(u"folder"_s).toString(u"Inbox"_s)},
            {u"unread_count"_s, 2},
            {u"ratio"_s, 0.5},
            {u"muted"_s, false},
            {u"filter"_s, u"all"_s},
            {u"note"_s, QJsonValue::Null},
            {u"priority"_s, u"high"_s},
            {u"tags"_s, QJsonArray{u"a"_s, u"b"_s}},
            {u"scores"_s, QJsonArray{1, 2, 3}},
            {u"shipping"_s, QJsonObject{{u"speed"_s, u"express"_s}, {u"gift"_s, true}}},
            {u"meta"_s, QJsonObject{{u"k"_s, 1}}},
            {u"extra"_s, QJsonArray{1, u"x"_s}},
            {u"price"_s, QJsonObject{{u"amount"_s, 1250}, {u"currency"_s, u"EUR"_s}}},
            {u"featured"_s, true}, // rendered as the child ["featured"] (or null)
            {u"order"_s, QJsonArray{u"m1"_s, u"m2"_s}},
            {u"totals"_s, root->asyncLoading()},
            {u"class"_s, u"primary"_s},
            {u"undeclared"_s, u"only in the untyped store"_s},
    });
    auto *pinned = new MusubiTestStore;
    pinned->setState({{u"subject"_s, u"Pinned"_s}, {u"read"_s, false}});
    root->addChild({u"featured"_s}, pinned);
    for (const QString &id : {u"m1"_s, u"m2"_s}) {
        auto *message = new MusubiTestStore;
        message->setState({{u"subject"_s, u"Subject "_s + id}, {u"read"_s, false}});
        message->onCommand(u"toggle"_s, [message](const QJsonObject &) {
            message->setValue(u"read"_s, !message->value(u"read"_s).toBool());
            return MusubiTestReply::noReply();
        });
        root->addChild({u"messages"_s, id}, message);
    }
    root->setRenderer([](const MusubiTestStore *store) {
        QJsonObject out = store->state();
        QJsonArray messages;
        for (const QJsonValue &id : out.value(u"order"_s).toArray())
            messages.append(store->childSlot({u"messages"_s, id.toString()}));
        out.remove(u"order"_s);
        out.insert(u"messages"_s, messages);
        out.insert(u"featured"_s,
                   out.value(u"featured"_s).toBool() ? QJsonValue(store->childSlot({u"featured"_s}))
                                                     : QJsonValue(QJsonValue::Null));
        out.insert(u"log"_s, store->streamSlot(u"log"_s));
        out.insert(u"history"_s, store->asyncOk(store->streamSlot(u"history"_s)));
        return out;
    });
    root->onCommand(u"mark_read"_s, [root](const QJsonObject &payload) {
        const QString id = payload.value(u"id"_s).toString();
        MusubiTestStore *message = root->childStore({u"messages"_s, id});
        if (!message)
            return MusubiTestReply::error(u"no_such_message"_s);
        message->setValue(u"read"_s, true);
        const int count = root->value(u"unread_count"_s).toInt() - 1;
        root->setValue(u"unread_count"_s, count);
        return MusubiTestReply::ok({{u"count"_s, count}});
    });
    root->onCommand(u"set_filter"_s, [root](const QJsonObject &payload) {
        root->setValue(u"filter"_s, payload.value(u"filter"_s));
        return MusubiTestReply::noReply();
    });
    root->onCommand(u"refresh"_s, [root](const QJsonObject &) {
        root->setValue(u"totals"_s, root->asyncOk(QJsonObject{{u"sum"_s, 42}}));
        return MusubiTestReply::noReply();
    });
    root->onCommand(u"rename"_s, [root](const QJsonObject &payload) {
        root->setValue(u"title"_s, payload.value(u"title"_s));
        // Left out when empty: the note becomes null then.
        root->setValue(u"note"_s,
                       payload.contains(u"note"_s) ? payload.value(u"note"_s)
                                                   : QJsonValue(u"(left out)"_s));
        return MusubiTestReply::noReply();
    });
    root->onCommand(u"fail"_s,
                    [](const QJsonObject &) { return MusubiTestReply::error(u"nope"_s); });
    QMetaObject::invokeMethod(this, &TypedFixture::mounted, Qt::QueuedConnection);
    return root;
}

void TypedFixture::setField(const QString &key, const QJsonValue &value)
{
    if (m_inbox)
        m_inbox->setValue(key, value);
}

void TypedFixture::setMessageField(const QString &id, const QString &key, const QJsonValue &value)
{
    if (m_inbox) {
        const QStringList localId =
                id == u"featured"_s ? QStringList{id} : QStringList{u"messages"_s, id};
        if (MusubiTestStore *message = m_inbox->childStore(localId))
            message->setValue(key, value);
    }
}

void TypedFixture::pushEvent(const QString &name, const QJsonValue &payload)
{
    if (m_inbox)
        m_inbox->pushEvent(name, payload);
}

void TypedFixture::appendLog(const QString &id, const QString &text)
{
    if (m_inbox)
        m_inbox->streamInsert(u"log"_s, id, QJsonObject{{u"id"_s, id}, {u"text"_s, text}});
}

void TypedFixture::setTotals(int sum)
{
    if (m_inbox)
        m_inbox->setValue(u"totals"_s, m_inbox->asyncOk(QJsonObject{{u"sum"_s, sum}}));
}

void TypedFixture::addMessage(const QString &id, const QString &subject)
{
    if (!m_inbox)
        return;
    auto *message = new MusubiTestStore;
    message->setState({{u"subject"_s, subject}, {u"read"_s, false}});
    m_inbox->addChild({u"messages"_s, id}, message);
    QJsonArray order = m_inbox->value(u"order"_s).toArray();
    order.prepend(id);
    m_inbox->setValue(u"order"_s, order);
}

void TypedFixture::removeMessage(const QString &id)
{
    if (!m_inbox)
        return;
    QJsonArray order = m_inbox->value(u"order"_s).toArray();
    for (qsizetype i = 0; i < order.size(); ++i) {
        if (order.at(i).toString() == id)
            order.removeAt(i--);
    }
    m_inbox->removeChild({u"messages"_s, id});
    m_inbox->setValue(u"order"_s, order);
}
