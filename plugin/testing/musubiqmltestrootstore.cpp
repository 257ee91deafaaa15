// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmltestrootstore.h"

#include <musubitestserver.h>

#include <QtCore/QJsonDocument>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtQml/QJSEngine>
#include <QtQml/QQmlEngine>

using namespace Qt::StringLiterals;

// The test server's category: what a QML store definition does wrong is reported there.
Q_LOGGING_CATEGORY(lcTestServer, "musubi.testserver", QtInfoMsg)

namespace {

const QString kReplyTag = u"__musubi_test_reply__"_s;

QJsonObject toObject(const QJSValue &value)
{
    if (!value.isObject() || value.isCallable())
        return {};
    return QJsonObject::fromVariantMap(value.toVariant().toMap());
}

// A store whose commands and render go through its QML definition; the
// definition is looked up on every call, so editing `commands` in QML takes
// effect on live stores too.
class QmlDefinedStore : public MusubiTestStore
{
public:
    explicit QmlDefinedStore(MusubiQmlTestRootStore *definition)
        : m_definition(definition)
    { }

    MusubiTestReply handleCommand(const QString &name, const QJsonObject &payload) override
    {
        if (!m_definition)
            return MusubiTestReply::error(u"unknown command"_s);
        return m_definition->runCommand(this, name, payload);
    }

    void mount(const QJsonObject &) override
    {
        // Identity (instanceId, rootId, params) is known only from here on.
        if (m_definition)
            Q_EMIT m_definition->mounted(this);
    }

    QJsonObject render() const override
    {
        return m_definition ? m_definition->runRender(this) : state();
    }

private:
    QPointer<MusubiQmlTestRootStore> m_definition;
};

} // namespace

/*!
    \qmltype MusubiTestRootStore
    \inqmlmodule Musubi.Testing
    \brief A root store type of a MusubiTestServer, defined in QML.

    Declared inside a MusubiTestServer; each mount of \l module creates a fresh
    MusubiTestStore whose state starts as a copy of \l initialState.

    \qml
    MusubiTestRootStore {
        id: counter
        module: "Demo.CounterStore"
        initialState: ({ count: 0 })
        commands: ({
            increment: function (payload, store) {
                store.setValue("count", store.value("count") + (payload.amount || 1))
            },
            fail: function (payload, store) { return counter.replyError("nope") }
        })
        onMounted: (store) => store.pushEvent("hello", { id: store.instanceId })
    }
    \endqml

    A command function receives \c (payload, store) and returns:
    \list
    \li nothing (\c undefined / \c null) — ok reply \c{{}} (no reply);
    \li an object — ok reply with that object;
    \li replyError(reason) / replyErrorResponse(object) — an error reply;
    \li replyCrash() — the channel crashes with \c phx_error; throwing does the same.
    \endlist
    An optional \l render function \c{(store) → object} replaces the default
    rendering (the state). Set \l refuseReason to refuse every mount.

    Commands and render are looked up on every call, so changing \l commands
    or \l render affects the stores already mounted too.
*/

/*!
    \qmlproperty string MusubiTestRootStore::module

    The module name the definition is registered under (e.g. \c{"Demo.CounterStore"}).
    Changing it registers the definition under the new name too; the old
    registration stays.
*/

/*!
    \qmlproperty var MusubiTestRootStore::initialState

    The state of every new store (an object; copied at each mount).
*/

/*!
    \qmlproperty var MusubiTestRootStore::commands

    An object mapping command names to functions \c{(payload, store) → result};
    see the type's description for the results. An unknown name gets the
    error reply \c{{"reason":"unknown command"}}.
*/

/*!
    \qmlproperty var MusubiTestRootStore::render

    An optional function \c{(store) → object} that computes the rendered
    fields of a store; unset, a store renders its state. A render function
    that throws is reported as a warning and the state is rendered instead.
*/

/*!
    \qmlproperty string MusubiTestRootStore::refuseReason

    When non-empty, every mount is refused with this reason (empty by default).
*/

/*!
    \qmlproperty int MusubiTestRootStore::mountCount
    \readonly

    How many stores this definition has created.
*/

/*!
    \qmlsignal MusubiTestRootStore::mounted(MusubiTestStore store)

    A \a store was created for a mount; emitted before its initial render,
    once its identity (\c rootId, \c instanceId, \c mountParams) is known.
*/

/*!
    \qmlmethod object MusubiTestRootStore::replyError(string reason)

    Returns a command result meaning: error reply \c{{"reason": reason}}, with \a reason.
*/

/*!
    \qmlmethod object MusubiTestRootStore::replyErrorResponse(object response)

    Returns a command result meaning: error reply with \a response verbatim.
*/

/*!
    \qmlmethod object MusubiTestRootStore::replyCrash()

    Returns a command result meaning: crash the channel (\c phx_error).
*/

MusubiQmlTestRootStore::MusubiQmlTestRootStore(QObject *parent)
    : QObject(parent)
{ }

void MusubiQmlTestRootStore::setModule(const QString &module)
{
    if (m_module == module)
        return;
    m_module = module;
    Q_EMIT moduleChanged();
}

void MusubiQmlTestRootStore::setInitialState(const QJSValue &state)
{
    m_initialState = state;
    Q_EMIT initialStateChanged();
}

void MusubiQmlTestRootStore::setCommands(const QJSValue &commands)
{
    m_commands = commands;
    Q_EMIT commandsChanged();
}

void MusubiQmlTestRootStore::setRender(const QJSValue &render)
{
    m_render = render;
    Q_EMIT renderChanged();
}

void MusubiQmlTestRootStore::setRefuseReason(const QString &reason)
{
    if (m_refuseReason == reason)
        return;
    m_refuseReason = reason;
    Q_EMIT refuseReasonChanged();
}

QJsonObject MusubiQmlTestRootStore::replyError(const QString &reason) const
{
    return {{kReplyTag, u"error"_s}, {u"response"_s, QJsonObject{{u"reason"_s, reason}}}};
}

QJsonObject MusubiQmlTestRootStore::replyErrorResponse(const QJsonObject &response) const
{
    return {{kReplyTag, u"error"_s}, {u"response"_s, response}};
}

QJsonObject MusubiQmlTestRootStore::replyCrash() const
{
    return {{kReplyTag, u"crash"_s}};
}

MusubiTestStore *MusubiQmlTestRootStore::create(const MusubiTestMount &mount, QString *refusal)
{
    Q_UNUSED(mount);
    if (!m_refuseReason.isEmpty()) {
        *refusal = m_refuseReason;
        return nullptr;
    }
    auto *store = new QmlDefinedStore(this);
    QJSEngine::setObjectOwnership(store, QJSEngine::CppOwnership);
    store->setState(toObject(m_initialState));
    ++m_mountCount;
    Q_EMIT mountCountChanged();
    return store;
}

MusubiTestReply MusubiQmlTestRootStore::runCommand(MusubiTestStore *store, const QString &name,
                                                   const QJsonObject &payload)
{
    QJSEngine *engine = qjsEngine(this);
    const QJSValue function = m_commands.isObject() ? m_commands.property(name) : QJSValue();
    if (!engine || !function.isCallable())
        return MusubiTestReply::error(u"unknown command"_s);
    const QJSValue result =
            function.call({engine->toScriptValue(payload), engine->newQObject(store)});
    if (result.isError()) {
        qCWarning(lcTestServer).noquote() << "command" << name << "threw:" << result.toString();
        return MusubiTestReply::crash(result.toString());
    }
    if (result.isUndefined() || result.isNull())
        return MusubiTestReply::noReply();
    const QJsonObject object = toObject(result);
    const QString tag = object.value(kReplyTag).toString();
    if (tag == u"error"_s)
        return MusubiTestReply::errorResponse(object.value(u"response"_s).toObject());
    if (tag == u"crash"_s)
        return MusubiTestReply::crash(u"replyCrash()"_s);
    return MusubiTestReply::ok(object);
}

QJsonObject MusubiQmlTestRootStore::runRender(const MusubiTestStore *store)
{
    QJSEngine *engine = qjsEngine(this);
    if (!engine || !m_render.isCallable())
        return store->state();
    const QJSValue result =
            m_render.call({engine->newQObject(const_cast<MusubiTestStore *>(store))});
    if (result.isError()) {
        qCWarning(lcTestServer).noquote()
                << "render of" << m_module << "threw:" << result.toString();
        return store->state();
    }
    return toObject(result);
}
