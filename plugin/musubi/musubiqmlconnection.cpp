// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmlconnection.h"

#include "musubiuploader.h"

#include <QtQml/QQmlInfo>

MusubiQmlConnection::MusubiQmlConnection(QObject *parent)
    : MusubiConnection(parent)
{
    // The C++ class reads its settings at open(); a declarative object is
    // expected to follow its bindings, so a live connection reopens. Several
    // settings often change together: one reopen per event-loop turn.
    m_reopenTimer.setSingleShot(true);
    m_reopenTimer.setInterval(0);
    connect(&m_reopenTimer, &QTimer::timeout, this, [this] {
        if (!m_wasUsable)
            return;
        close();
        open();
    });
    const auto settingsChanged = [this] {
        if (isUsable() != m_wasUsable)
            update();
        else if (m_wasUsable)
            m_reopenTimer.start();
    };
    connect(this, &MusubiConnection::urlChanged, this, settingsChanged);
    connect(this, &MusubiConnection::paramsChanged, this, settingsChanged);
    connect(this, &MusubiConnection::protocolChanged, this, settingsChanged);
    connect(this, &MusubiConnection::baseTopicChanged, this, settingsChanged);
}

MusubiQmlConnection::~MusubiQmlConnection() = default;

QVariantMap MusubiQmlConnection::uploaders() const
{
    QVariantMap map;
    for (auto it = m_uploaders.cbegin(); it != m_uploaders.cend(); ++it) {
        if (it.value())
            map.insert(it.key(), QVariant::fromValue(it.value().data()));
    }
    return map;
}

void MusubiQmlConnection::setUploaders(const QVariantMap &uploaders)
{
    if (uploaders == this->uploaders())
        return;
    for (auto it = m_uploaders.cbegin(); it != m_uploaders.cend(); ++it)
        unregisterUploader(it.key());
    m_uploaders.clear();
    for (auto it = uploaders.cbegin(); it != uploaders.cend(); ++it) {
        auto *uploader = qobject_cast<MusubiUploader *>(it.value().value<QObject *>());
        if (!uploader) {
            qmlWarning(this) << "uploaders." << it.key()
                             << " is not a MusubiUploader (MusubiHttpUploader, "
                                "MusubiScriptUploader); ignored";
            continue;
        }
        registerUploader(it.key(), uploader);
        m_uploaders.insert(it.key(), uploader);
    }
    Q_EMIT uploadersChanged();
}

void MusubiQmlConnection::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    Q_EMIT activeChanged();
    update();
}

void MusubiQmlConnection::classBegin() { }

void MusubiQmlConnection::componentComplete()
{
    m_complete = true;
    update();
}

void MusubiQmlConnection::update()
{
    const bool usable = isUsable();
    if (usable == m_wasUsable)
        return;
    m_wasUsable = usable;
    m_reopenTimer.stop();
    // Properties (url, params, protocol) are all set by now: the component is
    // complete, so open() reads their final values.
    if (usable)
        open();
    else
        close();
    Q_EMIT usableChanged();
}
