// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "qmlrawclient.h"

#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

class Setup : public QObject
{
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        Q_UNUSED(engine);
        qmlRegisterType<QmlRawClient>("MusubiTestingTests", 1, 0, "RawClient");
    }
};

QUICK_TEST_MAIN_WITH_SETUP(tst_musubitesting_qml, Setup)
#include "tst_musubitesting_qml.moc"
